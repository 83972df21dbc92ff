"""Running the site: security, faults, backups, databases, static files, HTTP methods, migrations, page cache."""
