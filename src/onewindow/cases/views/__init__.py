"""Case pages, one module per sub-domain: the staff workbench (`workbench`: my tasks), intake at the window
(`intake`), the case page and its actions (`case_page`), the supervision board (`board`), the citizen's pages
(`citizen`: apply online, my cases) and public tracking (`tracking`).

Reads go through `cases.selectors`, every change through one call of `cases.services`; a domain error becomes a
message on the form, or the styled error page of `core.error_pages` — never a 500.
"""
