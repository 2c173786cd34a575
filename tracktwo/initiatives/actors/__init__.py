"""Who is in the room: the actor map, candidate pools, fair selection of delegations.

``models`` (actors, their ties, candidates, a dialogue's delegation plan and draws),
``actions`` (every change, audited), ``csv_io`` (CSV in and out, line- and field-named
errors), ``queries`` (read models: the map, paths to Track One, who is not in the room,
the delegation balance), ``graph`` (the map drawn on the server), ``views`` and ``api``.
The selection itself is pure code in :mod:`tracktwo.analysis.selection`.
"""
