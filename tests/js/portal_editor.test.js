// node --test tests/js: the web editor's format (our native front matter) and locale filling.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const editor = require(path.join(__dirname, "..", "..", "plugins", "portal_editor", "static",
                                 "portal-editor.js"));

const NFD = (s) => s.normalize("NFD");

test("reads Key: value lines, lists split on commas, the body after the blank line", () => {
  const data = editor.fromFile(
    "Title: Lễ khai giảng\nDate: 2025-09-05 07:30\nTopics: chuyen-doi-so, chat-luong-giao-duc\n" +
    "Tags: khai giảng,  năm học mới\nSchool-year: 2025-2026\n\nDòng một.\n\nDòng hai.\n");
  assert.equal(data.title, "Lễ khai giảng");
  assert.equal(data.date, "2025-09-05 07:30");
  assert.deepEqual(data.topics, ["chuyen-doi-so", "chat-luong-giao-duc"]);
  assert.deepEqual(data.tags, ["khai giảng", "năm học mới"]);
  assert.equal(data["school-year"], "2025-2026");
  assert.equal(data.body, "Dòng một.\n\nDòng hai.\n");
});

test("reading gives NFC text from an NFD file, with Windows line ends and a BOM", () => {
  const data = editor.fromFile("\uFEFF" + NFD("Title: Học sinh giỏi\r\nTags: Đoàn\r\n\r\nNội dung") );
  assert.equal(data.title, "Học sinh giỏi".normalize("NFC"));
  assert.equal(data.title.length, "Học sinh giỏi".normalize("NFC").length);
  assert.deepEqual(data.tags, ["Đoàn"]);
  assert.equal(data.body, "Nội dung");
});

test("a continued value (indented line) joins the key above", () => {
  const data = editor.fromFile("Title: Một tiêu đề\n    rất dài\nDate: 2025-01-02\n\nx");
  assert.equal(data.title, "Một tiêu đề rất dài");
  assert.equal(data.date, "2025-01-02");
});

test("writes our keys in the form's order, lists comma-separated, no YAML", () => {
  const text = editor.toFile(
    { body: NFD("Nội dung bài."), tags: ["khai giảng", "năm học"], title: NFD("Lễ khai giảng"),
      topics: ["chuyen-doi-so", "doi-ngu"], date: "2026-09-05 07:30", category: "Tin tức",
      summary: "", "cover-alt": "Học sinh\nxếp hàng", status: null },
    ["title", "date", "category", "topics", "tags", "summary", "cover-alt", "status", "body"]);
  assert.equal(text,
    "Title: Lễ khai giảng\nDate: 2026-09-05 07:30\nCategory: Tin tức\n" +
    "Topics: chuyen-doi-so, doi-ngu\nTags: khai giảng, năm học\nCover-alt: Học sinh xếp hàng\n" +
    "\nNội dung bài.\n");
  assert.equal(text, text.normalize("NFC"));
  assert.ok(!/^\s*-\s/m.test(text.split("\n\n")[0]), "no YAML list in the front matter");
});

test("keys outside the form's order come after it; a round trip keeps the file", () => {
  const source = "Title: Công khai đội ngũ\nDisclosure: CK-13\nSchool-year: 2025-2026\n" +
    "Date: 2026-06-15\nAttachments: doi-ngu.docx, doi-ngu.pdf\n\n| a | b |\n|---|---|\n";
  const data = editor.fromFile(source);
  assert.deepEqual(data.attachments, ["doi-ngu.docx", "doi-ngu.pdf"]);
  assert.equal(editor.toFile(data, ["title", "disclosure"]), source);
});

test("downloads become links at the end, with the file's original name as text", () => {
  editor.rememberOriginal(NFD("Danh sách Học sinh.pdf"));
  const text = editor.toFile(
    { title: "Tin", body: "Nội dung.",
      _downloads: [{ file: "/files/2026/danh-sach-hoc-sinh.pdf" },
                   { file: "/files/2026/ke-hoach.docx", text: "Kế hoạch [bản 2]" }] },
    ["title", "_downloads", "body"]);
  assert.equal(text, "Title: Tin\n\nNội dung.\n\nTệp đính kèm:\n\n" +
    "- [Danh sách Học sinh.pdf](/files/2026/danh-sach-hoc-sinh.pdf)\n" +
    "- [Kế hoạch \\[bản 2\\]](/files/2026/ke-hoach.docx)\n");
});

test("safe names: lower case, no diacritics, no spaces (đ as d)", () => {
  assert.equal(editor.safeName("Ảnh Lễ Trao Giải.JPG"), "anh-le-trao-giai.jpg");
  assert.equal(editor.safeName(NFD("Đội tuyển  Đoàn.pdf")), "doi-tuyen-doan.pdf");
});

test("missing Vietnamese strings are filled, existing ones kept", () => {
  const vi = { editor: { editorWidgets: { markdown: { bold: "In đậm (của Decap)" } } } };
  const filled = editor.fill(vi, editor.MISSING_VI);
  assert.equal(filled.editor.editorWidgets.markdown.bold, "In đậm (của Decap)");
  assert.equal(filled.editor.editorWidgets.markdown.italic, "Nghiêng");
  assert.equal(filled.mediaLibrary.mediaLibraryModal.close, "Đóng");
});

test("entry data is recomposed to NFC before Decap makes a slug (strings in lists too)", () => {
  const data = editor.nfcValue({ title: NFD("Đội tuyển"), topics: [NFD("Chuyển đổi số")], n: 3 });
  // a plain object is not mapped (Decap gives an Immutable Map, which has map and toJS)
  assert.equal(data.title, NFD("Đội tuyển"));
  const mapLike = { map(f) { return { title: f(NFD("Đội tuyển")), tags: f([NFD("Tết")]) }; },
                    toJS() { return {}; } };
  const out = editor.nfcValue(mapLike);
  assert.equal(out.title, "Đội tuyển".normalize("NFC"));
  assert.deepEqual(out.tags, ["Tết".normalize("NFC")]);
  assert.equal(editor.nfcValue(3), 3);
});

const RULES = { types: { pdf: "PDF", docx: "Word", jpg: "Ảnh JPEG", png: "Ảnh PNG" },
                macros: { docm: "docx" }, photos: ["jpg", "png"],
                photo_max_bytes: 25 * 1048576, max_bytes: 95 * 1048576, warn_bytes: 20 * 1048576 };

test("uploads: types, macros and sizes as the build checks them", () => {
  assert.equal(editor.checkUpload("Kế hoạch.PDF", 1000, RULES), null);
  const exe = editor.checkUpload("cai-dat.exe", 10, RULES);
  assert.ok(exe.refuse && exe.message.includes(".pdf, .docx"));
  const macro = editor.checkUpload("bang-diem.docm", 10, RULES);
  assert.ok(macro.refuse && macro.message.includes(".docx"));
  const photo = editor.checkUpload("anh.jpg", 26 * 1048576, RULES);
  assert.ok(photo.refuse && photo.message.includes("25 MB"));
  assert.equal(editor.checkUpload("anh.jpg", 24 * 1048576, RULES), null);
  const big = editor.checkUpload("du-toan.pdf", 21 * 1048576, RULES);
  assert.ok(!big.refuse && big.message.includes("20 MB"));
  assert.ok(editor.checkUpload("du-toan.pdf", 96 * 1048576, RULES).refuse);
});
