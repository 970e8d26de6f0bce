"""Multi-turn conversations (botbuilder-dialogs), one file per conversation.

Dialogs stay thin: prompt, validate, call the domain, render. `help` and `cancel` are
handled once by the bot for every step (see `DialogHost`).
"""
