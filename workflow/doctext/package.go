package doctext

import (
	"archive/zip"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// The main part of each OOXML kind, by the content type [Content_Types].xml
// gives it. Macro-enabled workbooks and documents are not on the list: a
// .docm renamed .docx is not what its name says.
var mainContentTypes = map[Kind]string{
	DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
	XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}

// maxManifest bounds the small XML parts read to find the main part.
const maxManifest = 1 << 20

// mainPart finds the main part of an OOXML package from its content types,
// and refuses a package that is not of the kind its name says.
func (z *guardedZip) mainPart(kind Kind) (*zip.File, error) {
	ct := z.find("[Content_Types].xml")
	if ct == nil {
		return nil, corrupt("no [Content_Types].xml: not an Office Open XML package")
	}
	rc, err := z.open(ct)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var types struct {
		Overrides []struct {
			PartName    string `xml:"PartName,attr"`
			ContentType string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	if err := xml.NewDecoder(io.LimitReader(rc, maxManifest)).Decode(&types); err != nil {
		if e := AsError(err); e != nil {
			return nil, e
		}
		return nil, corrupt("[Content_Types].xml: " + err.Error())
	}
	for _, o := range types.Overrides {
		if o.ContentType != mainContentTypes[kind] {
			continue
		}
		f := z.find(strings.TrimPrefix(o.PartName, "/"))
		if f == nil {
			return nil, corrupt(fmt.Sprintf("the main part %s is missing", o.PartName))
		}
		return f, nil
	}
	return nil, refuse(Invalid, CodeTypeMismatch,
		fmt.Sprintf("Tệp không phải là tệp .%s hợp lệ: gói Office bên trong không có phần chính của loại này.", kind),
		fmt.Sprintf("The file is not a valid .%s: the Office package inside has no main part of that type.", kind))
}

// checkODF checks an OpenDocument package: its first entry, stored, names
// its media type, and it has a content.xml.
func (z *guardedZip) checkODF(kind Kind) error {
	files := z.zr.File
	if len(files) == 0 || files[0].Name != "mimetype" || files[0].Method != zip.Store {
		return corrupt("no mimetype entry first: not an OpenDocument package")
	}
	rc, err := z.open(files[0])
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, 256))
	if err != nil {
		return err
	}
	if strings.TrimSpace(string(b)) != kind.ContentType() {
		return refuse(Invalid, CodeTypeMismatch,
			fmt.Sprintf("Tệp không phải là tệp .%s hợp lệ (gói OpenDocument ghi loại %q).", kind, b),
			fmt.Sprintf("The file is not a valid .%s (the OpenDocument package says %q).", kind, b))
	}
	if z.find("content.xml") == nil {
		return corrupt("no content.xml in the OpenDocument package")
	}
	return nil
}
