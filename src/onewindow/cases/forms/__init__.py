"""Forms of the case pages, one module per sub-domain: the applicant and the error edge shared by all (`base`),
intake at the window (`intake`), the citizen's online application and corrections (`citizen`), the actions on a
case (`actions`), public tracking (`tracking`).

Forms only validate and shape input into the typed inputs of `cases.services`; the rules live in the acts, and
a refused input comes back as the service's error, shown on the field it names.
"""
