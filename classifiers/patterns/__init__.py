"""Pattern tables behind the normaliser and the stage signals: handles, stage rules in English and Chinese, cues."""
