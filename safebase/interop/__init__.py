"""Exchange formats (FHIR R4) as pure conversions: no Django, no I/O."""
