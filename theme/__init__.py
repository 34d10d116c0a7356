"""The portal's theme, shipped in the cong-truong package as ``cong_truong.theme`` (templates/ and
static/); a school overrides a template by a file of the same name in its own theme/templates/."""
