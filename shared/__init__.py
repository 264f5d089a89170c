"""Standard-library modules both processes load: QGIS's Python (the shell) and the worker (the engine)."""
