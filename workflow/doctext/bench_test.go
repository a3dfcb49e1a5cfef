package doctext_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/dondoc/dondoc/workflow/doctext"
	"github.com/dondoc/dondoc/workflow/doctext/doctexttest"
)

// twentyPages is the three samples three times over: 20 pages of A4 at
// 13 pt with a title and a running head.
func twentyPages(b *testing.B) []string {
	var paras []string
	for range 3 {
		for _, name := range sampleFiles {
			paras = append(paras, doctexttest.SampleParagraphs(b, samples+name)...)
		}
	}
	return paras
}

func BenchmarkTextDOCX20Pages(b *testing.B) {
	data := doctexttest.Doc{Header: "VĂN PHÒNG CHÍNH PHỦ", Footer: "Trang ", Blocks: doctexttest.Paragraphs(twentyPages(b))}.DOCX(b)
	benchmarkText(b, data, doctext.DOCX)
}

func BenchmarkTextPDF20Pages(b *testing.B) {
	data := doctexttest.Notice{Title: title, RunningHead: "VĂN PHÒNG CHÍNH PHỦ", Paragraphs: twentyPages(b)}.PDF(b)
	res := benchmarkText(b, data, doctext.PDF)
	if res.Pages != 20 {
		b.Fatalf("%d pages, not 20", res.Pages)
	}
}

func benchmarkText(b *testing.B, data []byte, kind doctext.Kind) doctext.Result {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var res doctext.Result
	for b.Loop() {
		var err error
		res, err = pdfx.Text(context.Background(), bytes.NewReader(data), int64(len(data)), kind)
		if err != nil || !res.TextExtracted {
			b.Fatalf("%+v, %v", res, err)
		}
	}
	return res
}
