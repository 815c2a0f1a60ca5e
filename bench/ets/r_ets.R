# ETS benchmark, R side: forecast::ets with its default arguments on every
# series of a prepared CSV (frequency 12), timed per series, and the same
# rolling-origin back-test as Atalaya's backtest() (src/atalaya/analysis/backtest.h).
#
#   Rscript bench/ets/r_ets.R SERIES.csv OUT.csv [RUNS] [HORIZON] [ORIGINS]
#
# SERIES.csv: series_id,month,value, grouped by series, months in order and
# gapless (bench/ets/run prepares it). The fit time of a series is the fastest
# of RUNS identical fits (elapsed time from system.time), as in ets_bench.cpp.
# Back-test, per series of length n: origins o = n-h-N+1 .. n-h (training
# lengths); at each, ets() on y[1..o] and forecast(h = h)$mean; the origin's
# MASE is mean(|y[o+1..o+h] - forecast|) divided by the in-sample MAE of the
# lag-12 naive forecast on y[1..o]; origins with a zero scale are left out;
# the series' MASE is the mean over the remaining origins.
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: r_ets.R SERIES.csv OUT.csv [RUNS=3] [HORIZON=6] [ORIGINS=12]")
runs <- if (length(args) >= 3) as.integer(args[3]) else 3L
h <- if (length(args) >= 4) as.integer(args[4]) else 6L
n_origins <- if (length(args) >= 5) as.integer(args[5]) else 12L
period <- 12L

d <- read.csv(args[1], colClasses = c("character", "character", "numeric"))
ids <- unique(d$series_id)

# "ETS(M,Ad,N)" -> "MAdN", as ets_bench.cpp writes it (no commas in a CSV field).
model_name <- function(fit) gsub("ETS\\(|\\)|,", "", fit$method)

mase_scale <- function(train) mean(abs(diff(train, lag = period)))

# The time of fn(): the fastest of `runs` calls (elapsed seconds), and its value.
timed <- function(fn) {
  best <- Inf
  value <- NULL
  for (r in seq_len(runs)) {
    t <- system.time(value <- fn(), gcFirst = FALSE)[["elapsed"]]
    best <- min(best, t)
  }
  list(value = value, seconds = best)
}

rows <- vector("list", length(ids))
for (k in seq_along(ids)) {
  s <- d[d$series_id == ids[k], ]
  first <- as.integer(strsplit(s$month[1], "-")[[1]])
  y <- ts(s$value, start = first, frequency = period)
  n <- length(y)
  fitted <- timed(function() ets(y))
  fit <- fitted$value

  t0 <- proc.time()[["elapsed"]]
  sum_mase <- 0; sum_snaive <- 0; scored <- 0L; failures <- 0L
  for (o in (n - h - n_origins + 1):(n - h)) {
    train <- window(y, end = time(y)[o])
    actual <- as.numeric(y[(o + 1):(o + h)])
    scale <- mase_scale(as.numeric(train))
    fc <- tryCatch(as.numeric(forecast(ets(train), h = h)$mean), error = function(e) NULL)
    if (is.null(fc)) { failures <- failures + 1L; next }
    if (!(scale > 0)) next
    snaive <- as.numeric(train)[o - period + ((0:(h - 1)) %% period) + 1]
    sum_mase <- sum_mase + mean(abs(actual - fc)) / scale
    sum_snaive <- sum_snaive + mean(abs(actual - snaive)) / scale
    scored <- scored + 1L
  }
  bt_seconds <- proc.time()[["elapsed"]] - t0
  rows[[k]] <- data.frame(
    series_id = ids[k], n = n, model = model_name(fit), aicc = fit$aicc,
    fit_ms = 1000 * fitted$seconds,
    mase = if (scored > 0) sum_mase / scored else NA,
    snaive_mase = if (scored > 0) sum_snaive / scored else NA,
    origins_scored = n_origins - failures, failures = failures,
    backtest_ms = 1000 * bt_seconds)
}
out <- do.call(rbind, rows)
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
cat(sprintf("r_ets.R: %d series written to %s\n", nrow(out), args[2]), file = stderr())
