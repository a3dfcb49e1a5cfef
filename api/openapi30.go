package api

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPI30 serves the 3.0 form of the document. huma's downgrade leaves
// the 3.1 keyword contentMediaType on binary strings (files), which strict
// 3.0 readers (kin-openapi, generators) refuse; in 3.0 the same thing is
// said by format: binary, so the keyword is rewritten to it here.
func (s *Server) openAPI30(c echo.Context) error {
	b, err := s.api.OpenAPI().Downgrade()
	if err != nil {
		return err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return err
	}
	binaryFormat(doc)
	return c.JSON(http.StatusOK, doc)
}

// binaryFormat replaces contentMediaType with format: binary throughout v.
func binaryFormat(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["contentMediaType"]; ok {
			delete(v, "contentMediaType")
			if _, has := v["format"]; !has {
				v["format"] = "binary"
			}
		}
		for _, x := range v {
			binaryFormat(x)
		}
	case []any:
		for _, x := range v {
			binaryFormat(x)
		}
	}
}
