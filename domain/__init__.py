"""The champions program itself, in plain Python.

Nothing here imports botbuilder, aiohttp, apscheduler or the database: the transport and
storage layers depend on this package, never the other way round.
"""
