// Builds: a store file may include its own layer and the layers below.
#include "atalaya/core/period.h"
#include "atalaya/ingest/parsed_file.h"
#include "atalaya/store/store.h"
