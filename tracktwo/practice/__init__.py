"""Track Two practice as data: formats, regimes, tracks and roles; input rules; domain errors.

Not a Django app: a vocabulary every app shares. It imports no app.
"""
