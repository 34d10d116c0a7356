"""`cong-truong import SOURCE`: move a school in from its old portal (a saved copy of the site).

Modules, in the order a run uses them: discover (saved pages and their old URLs), decode
(bytes → NFC text), legacy_fonts (text typed in TCVN3/VNI fonts → Unicode), extract (title,
date, author, category, the content node; known platform layouts first, trafilatura as the
fallback), dates (day-first Vietnamese dates), documents and disclosures (a văn bản's number,
type, date, issuer, validity; a công khai page's catalogue item, school year, period), files
(images and attachments: safe names, one copy per content hash), convert (content node → clean
Markdown, links rewritten), topics (suggested plan topics, with the keywords found), verify (the
portal's own checks on the result), write (the new content folder, never overwriting), report
(HTML and CSV), review (the topics sheet and `--apply`), run (the whole pipeline); schools and
many (a platform's copy of several schools: split, each school's facts, the summary for the
Sở). See README.md here.
"""
