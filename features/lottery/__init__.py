"""An auditable lottery: tickets earned by taking part, a draw committed before it happens,
and a proof anyone can rerun with `tools/verify_draw.py`. (Its chat and storage follow.)"""
