"""(Re)create the search rows' functions, triggers and SQLite view from ``catalogue/sql/*.sql``.

Until now the live definition of each was the latest of the inline texts of migrations
0003-0008; from here on it is the ``.sql`` file, readable in one place. The definitions are
the same as 0008 left them (``tests/catalogue/test_live_sql.py`` compares them), so going
back is a no-op. A later change to a file comes with its own migration that reloads it, as
this one does.
"""

from django.db import migrations

from catalogue.sql import run_sql_files

LIVE_SQL = {
    "postgresql": ["postgresql/record_search.sql", "postgresql/record_search_availability.sql"],
    "sqlite": ["sqlite/record_search.sql"],
}


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_browse_indexes")]

    operations = [
        migrations.RunPython(run_sql_files(LIVE_SQL), migrations.RunPython.noop),
    ]
