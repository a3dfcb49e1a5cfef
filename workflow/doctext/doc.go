// Package doctext reads uploaded files: it decides their type from their
// bytes, refuses the ones dondoc does not take or that are hostile, and
// reads the text of a document's source file (.docx, .pdf, .txt) into the
// body that extraction works on.
//
// An upload goes through three steps, each of which may refuse the file
// with an *Error (a Class for the HTTP status, a stable Code, a message in
// Vietnamese then English):
//
//	name, err := doctext.CleanName(header.Filename)           // 422 file_name_invalid
//	kind, err := doctext.Sniff(head, name, doctext.Source)    // 415 or 422; head = first SniffLen bytes
//	res, err := extractor.Text(ctx, file, size, kind)         // 422: broken, bomb, loop, too long
//
// and for an attachment, doctext.Check(file, size, kind, limits) in place of
// Text. The upload's size (413) is the caller's to limit before these run.
// Class Unsupported maps to 415, Invalid to 422; any other error is
// dondoc's own failure.
//
// A PDF without a text layer (a scan) is not an error: Text answers
// TextExtracted=false and a Note asking for the text to be pasted.
//
// Reading order and what is left out:
//   - .docx: word/document.xml (found through [Content_Types].xml), body
//     paragraphs and table cells in order, runs joined, w:tab as a tab,
//     w:br as a line break; inserted revisions kept, deleted and moved-away
//     ones left out; field codes left out but their shown results kept, as
//     a reader sees them; hidden runs left out; text boxes after the
//     paragraph that holds them. Headers, footers, notes and comments are
//     other parts and never read.
//   - .pdf: PDFium's glyphs with their boxes, joined into lines, ordered by
//     recursive XY-cut (columns one after the other), paragraphs from the
//     space between lines, first-line indents and short lines; page numbers
//     and running heads and foots (a line repeated at the top or bottom of
//     half the pages) left out.
//   - .txt: UTF-8 (or UTF-16 with a BOM) as typed, line ends made \n.
//
// All text comes out NFC with paragraphs separated by a blank line.
//
// Zips (.docx, .xlsx, .odt, .ods) are opened only after their central
// directory has been counted, and every entry's bytes are counted as they
// are decompressed against Limits: entries, size per entry and in all,
// and the compression ratio. PDFs are read by PDFium compiled to
// WebAssembly, in a sandbox with no file system, capped memory and a time
// budget after which it is killed.
package doctext
