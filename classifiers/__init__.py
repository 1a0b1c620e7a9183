"""The detector: normalisation, bilingual stage signals, encoder, conversation model and scorer."""
