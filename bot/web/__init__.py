"""The moderator console: a server-rendered web app on minorguard's own aiohttp server (see ``console``)."""
