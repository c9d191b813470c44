"""Archive regeneration (档案再生) at scale: `pagesetter archive SOURCE -o DEST` — every issue of
an archive made up, built and written with its ALTO and METS, one Dask task per issue
(docs/archive.md). `sources` finds the issues, `issue` makes one, `alto` and `mets` write the
library files, `index` the HTML index, `run` the distributed run."""
