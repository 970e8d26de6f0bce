"""Multi-turn forms: the form engine (`form.py`) and the host that runs them on per-user state.

Features describe their forms as `FormSpec`s; `help` and `cancel` are handled once by the bot
for every step (see `DialogHost`).
"""
