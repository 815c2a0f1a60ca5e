// Must not build: analysis/ sits below serve/.
#include "atalaya/analysis/cube.h"
#include "atalaya/serve/server.h"
