from . import checks_markdown

print(checks_markdown(), end="")
