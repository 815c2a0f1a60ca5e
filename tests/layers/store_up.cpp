// Must not build: store/ sits below warning/.
#include "atalaya/store/store.h"
#include "atalaya/warning/alert.h"
