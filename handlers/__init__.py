"""Platform-free moderation logic: pipeline, policy, notices, commands and review workflows."""
