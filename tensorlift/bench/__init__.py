"""`tensorlift bench`: many files, warm workers or Ray tasks, reports. The defaults live
here so that the CLI's parser needs nothing else of the package."""

DEFAULT_TIMEOUT = 60.0
DEFAULT_GRACE = 10.0          # seconds a worker may run past --timeout before it is killed
DEFAULT_MEMORY_GIB = 4.0      # address-space limit of one worker
EXECUTORS = ("local", "ray")
