"""Every text a person reads, as source texts keyed by name, one module per audience (issue 20):

    form     the form's field names and errors (residents)    pages   the form's pages, link pages
    mail     the receipt and the mails to residents and staff  sms     SMS to residents
    console  the coordinator console, the facilitator's page    digest  the coordinator digest
    report   the municipal report (bokmål source)
    resident what a resident is told about the centre: next steps, contact, urgent help, statements

The markers say who reads a text and so its gettext domain (shared/catalogs.py, README §
Translations): `M`/`MP` residents ("messages"), `S` staff ("staff"), `R` the report ("report").
"""
