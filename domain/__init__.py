"""The shared kernel, in plain Python: identity, roles, clock, i18n, command matching, answers,
rate limits, and the `Turn` protocol features' handlers get.

Nothing here imports botbuilder, aiohttp, apscheduler or the database, and nothing here
knows a feature: the platform and every feature depend on this package, never the other way.
"""
