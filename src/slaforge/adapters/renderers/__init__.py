"""Documents slaforge produces from templates: the capability report (HTML and PDF from one
template) here, agreements in `agreement/`."""
