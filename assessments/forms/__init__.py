"""Forms, one module per module of views/: coordinator.py and respondent.py. gov.py holds what
every form of the service shares (the reports app's too): the crispy helper, the date field and
the error summary's links."""
