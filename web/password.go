package web

import (
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/dondoc/dondoc/workflow"
)

// The page where a user changes their own password ("Đổi mật khẩu"), as
// POST /api/v1/me/password does: the session it is done from stays signed
// in, every other session and API token of the user is revoked.

func init() { routes = append(routes, "GET /password", "POST /password") }

// mountPassword registers the page; Mount calls it.
func (w *webUI) mountPassword(e *echo.Echo) {
	w.pages["password"] = template.Must(template.New("").Funcs(webFuncs).ParseFS(webFiles, "templates/layout.html", "templates/password.html"))
	e.GET("/password", w.page(w.passwordPage))
	e.POST("/password", w.page(w.changePassword))
}

type passwordForm struct {
	Done   bool
	Error  string
	Errors map[string]string // by field name
}

func (w *webUI) passwordPage(c echo.Context, actor workflow.Actor) error {
	return w.render(c, http.StatusOK, "password", view{Title: "Đổi mật khẩu", Nav: "password", Actor: actor,
		Data: passwordForm{Done: c.QueryParam("xong") == "1"}})
}

// passwordRuleVI is workflow.PasswordRule in Vietnamese.
const passwordRuleVI = "Mật khẩu mới chưa đạt yêu cầu: ít nhất 10 ký tự (tối đa 256), không chứa tên đăng nhập, và có 16 ký tự hoặc ba trong bốn loại: chữ thường, chữ hoa, chữ số, ký hiệu."

func (w *webUI) changePassword(c echo.Context, actor workflow.Actor) error {
	form := passwordForm{Errors: map[string]string{}}
	again := func(status int) error {
		return w.render(c, status, "password", view{Title: "Đổi mật khẩu", Nav: "password", Actor: actor, Data: form})
	}
	current, next := c.FormValue("current_password"), c.FormValue("new_password")
	if next != c.FormValue("confirm_password") {
		form.Errors["confirm_password"] = "Hai lần nhập mật khẩu mới không khớp nhau."
		return again(http.StatusUnprocessableEntity)
	}
	ck, err := c.Cookie(sessionCookie)
	if err != nil {
		return w.fail(c, actor, http.StatusUnauthorized, "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.")
	}
	wait, err := w.auth.ChangePassword(c.Request().Context(), actor, ck.Value, c.RealIP(), current, next)
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		form.Error = fmt.Sprintf("Nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau %d giây.", secs)
		return again(http.StatusTooManyRequests)
	}
	var de *workflow.Error
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, "/password?xong=1")
	case errors.Is(err, workflow.ErrWrongPassword):
		form.Errors["current_password"] = "Mật khẩu hiện tại không đúng."
		return again(http.StatusUnprocessableEntity)
	case errors.As(err, &de) && de.Kind == workflow.KindInvalid:
		for _, f := range de.Fields {
			if f.Field == "new_password" && strings.Contains(f.Message, "differ") {
				form.Errors["new_password"] = "Mật khẩu mới phải khác mật khẩu hiện tại."
			} else {
				form.Errors["new_password"] = passwordRuleVI
			}
		}
		return again(http.StatusUnprocessableEntity)
	case workflow.KindOf(err) == workflow.KindConflict:
		form.Error = "Mật khẩu vừa được đổi ở nơi khác. Vui lòng đăng nhập lại."
		return again(http.StatusConflict)
	}
	return w.failErr(c, actor, err)
}
