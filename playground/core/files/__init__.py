"""Files: projects, their checks and migrations, and every export."""
