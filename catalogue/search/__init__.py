"""Search of the catalogue, in one package (django-oscar's ``apps/search`` is the model).

Modules, from the query string to the page:

- ``params``: the query string read into ``SearchParams`` (words, scope, facets, sort,
  page), and the URLs of searches;
- ``backends``: full-text matching and relevance, PostgreSQL (``tsvector``) and SQLite
  (FTS5);
- ``facets``: what each facet filters (``RecordFilter``), its labels, the facets and
  chips shown;
- ``query``: the matching search rows, their orderings, and the one statement that reads
  the total, the facet counts and the page's ids;
- ``results``: ``search_catalogue``, the results page in two SQL queries;
- ``predefined``: the predefined searches offered under the search bar.

The search rows themselves (``RecordSearch``) are kept by the database: their triggers and
functions are in ``catalogue/sql/``. The site-wide page (``bdvo_portal.search_views``)
adds the help pages and agenda events of ``content`` for the scope « Partout ».
"""
