package api

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/danielgtaylor/huma/v2/yaml"
	"github.com/labstack/echo/v4"
)

// openAPI30 serves the 3.0 form of the document as JSON. huma's downgrade
// leaves the 3.1 keyword contentMediaType on binary strings (files), which
// strict 3.0 readers (kin-openapi, generators) refuse; in 3.0 the same thing
// is said by format: binary, so the keyword is rewritten to it here.
func (s *Server) openAPI30(c echo.Context) error {
	b, err := s.openAPI30Doc()
	if err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, b)
}

// openAPI30YAML serves the same 3.0 document as openAPI30, in YAML.
func (s *Server) openAPI30YAML(c echo.Context) error {
	b, err := s.openAPI30Doc()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := yaml.Convert(&out, bytes.NewReader(b)); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/openapi+yaml", out.Bytes())
}

func (s *Server) openAPI30JSON() ([]byte, error) {
	b, err := s.api.OpenAPI().Downgrade()
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	binaryFormat(doc)
	return json.Marshal(doc)
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
