"""`invoke import SOURCE`: move a school in from its old portal (a saved copy of the site).

Modules, in the order a run uses them: discover (saved pages and their old URLs), decode
(bytes → NFC text), legacy_fonts (text typed in TCVN3/VNI fonts → Unicode), extract (title, date, author, category, the content node;
known platform layouts first, trafilatura as the fallback), dates (day-first Vietnamese dates),
files (images and attachments: safe names, one copy per content hash), convert (content node →
clean Markdown, links rewritten), topics (suggested plan topics, a comment the editor
confirms), verify (the portal's own checks on the result), write (the new content folder,
never overwriting), report (HTML and CSV), run (the whole pipeline). See README.md here.
"""
