# Forecast benchmark, R side: forecast::ets, thetaf, naive and snaive at their
# defaults on every series of a prepared CSV (frequency 12), scored with the
# same rolling origin as Atalaya's backtest() (src/atalaya/analysis/backtest.h).
#
#   Rscript bench/forecast/r_forecast.R SERIES.csv OUT.csv [HORIZON] [ORIGINS]
#
# Per series of length n: training lengths o = n-h-N+1 .. n-h; at each, every
# model is fitted on y[1..o] and forecasts h months with 80% and 95% intervals.
# MASE: mean |error| over the h months divided by the in-sample MAE of the
# lag-12 naive forecast on y[1..o], averaged over origins (zero scales left
# out). sMAPE: 200|y - f| / (|y| + |f|), 0 when both are 0, averaged over all
# forecasts. Coverage: share of actuals inside each interval (bounds included).
# ms_per_forecast: elapsed time of the model's fits and forecasts over the
# back-test divided by the origins scored. Output as bench_forecast writes it:
#   series_id,model,mase,smape,coverage_80,coverage_95,origins_scored,ms_per_forecast
suppressPackageStartupMessages(library(forecast))

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: r_forecast.R SERIES.csv OUT.csv [HORIZON=6] [ORIGINS=12]")
h <- if (length(args) >= 3) as.integer(args[3]) else 6L
n_origins <- if (length(args) >= 4) as.integer(args[4]) else 12L
period <- 12L

d <- read.csv(args[1], colClasses = c("character", "character", "numeric"))
ids <- unique(d$series_id)

models <- list(
  ets = function(y) forecast(ets(y), h = h, level = c(80, 95)),
  thetaf = function(y) thetaf(y, h = h, level = c(80, 95)),
  naive = function(y) naive(y, h = h, level = c(80, 95)),
  snaive = function(y) snaive(y, h = h, level = c(80, 95))
)

rows <- list()
for (k in seq_along(ids)) {
  s <- d[d$series_id == ids[k], ]
  first <- as.integer(strsplit(s$month[1], "-")[[1]])
  y <- ts(s$value, start = first, frequency = period)
  n <- length(y)
  for (name in names(models)) {
    sum_mase <- 0; n_mase <- 0L; sum_smape <- 0; points <- 0L; cov <- c(0, 0); scored <- 0L; seconds <- 0
    for (o in (n - h - n_origins + 1):(n - h)) {
      train <- window(y, end = time(y)[o])
      actual <- as.numeric(y[(o + 1):(o + h)])
      t0 <- proc.time()[["elapsed"]]
      fc <- tryCatch(models[[name]](train), error = function(e) NULL)
      seconds <- seconds + proc.time()[["elapsed"]] - t0
      if (is.null(fc)) next
      scored <- scored + 1L
      f <- as.numeric(fc$mean)
      err <- abs(actual - f)
      den <- abs(actual) + abs(f)
      sum_smape <- sum_smape + sum(ifelse(den > 0, 200 * err / den, 0))
      points <- points + h
      lo <- matrix(as.numeric(fc$lower), nrow = h); hi <- matrix(as.numeric(fc$upper), nrow = h)
      for (i in 1:2) cov[i] <- cov[i] + sum(lo[, i] <= actual & actual <= hi[, i])
      scale <- mean(abs(diff(as.numeric(train), lag = period)))
      if (scale > 0) { sum_mase <- sum_mase + mean(err) / scale; n_mase <- n_mase + 1L }
    }
    rows[[length(rows) + 1]] <- data.frame(
      series_id = ids[k], model = name,
      mase = if (n_mase > 0) sum_mase / n_mase else NA,
      smape = if (points > 0) sum_smape / points else NA,
      coverage_80 = if (points > 0) cov[1] / points else NA,
      coverage_95 = if (points > 0) cov[2] / points else NA,
      origins_scored = scored,
      ms_per_forecast = if (scored > 0) 1000 * seconds / scored else NA)
  }
}
out <- do.call(rbind, rows)
write.csv(out, args[2], row.names = FALSE, quote = FALSE)
cat(sprintf("r_forecast.R: %d series written to %s\n", length(ids), args[2]), file = stderr())
