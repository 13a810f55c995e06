"""The form editor page, generated from the study definition (see page.FormEditorPage)."""
