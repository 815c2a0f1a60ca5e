// The English catalogue (see messages.h for the template syntax). Every id
// here is also in messages_es.cpp, with the same arguments.
#include "atalaya/core/messages_catalogue.h"

namespace atalaya {
namespace {

constexpr MessageEntry kEntries[] = {
    // Numbers that are not numbers.
    {"number.missing", "no data"},
    {"number.unbounded", "unbounded"},

    // Detectors (warning/detectors.cpp): why a trigger fired.
    {"detector.amount", "{x:amount}"},
    {"detector.threshold.up", "{value:amount} is at or above the threshold of {level:amount}"},
    {"detector.threshold.down", "{value:amount} is at or below the threshold of {level:amount}"},
    {"detector.growth.trailing_mean", "the trailing {window:count}-month mean of {baseline:amount}"},
    {"detector.growth.year_ago", "the {baseline:amount} of the same month a year earlier"},
    {"detector.growth.from_zero", "{value:amount} follows {compared} (threshold {ratio:setting} times)"},
    {"detector.growth.rise", "{value:amount} is {score:score} times {compared} (threshold {ratio:setting})"},
    {"detector.growth.fall", "{value:amount} is {score:score} times {compared} (threshold {threshold:score})"},
    {"detector.seasonal.up",
     "{value:amount} is {z:score} robust standard deviations above the seasonal expectation of {baseline:amount} "
     "(threshold {threshold:setting})"},
    {"detector.seasonal.down",
     "{value:amount} is {z:score} robust standard deviations below the seasonal expectation of {baseline:amount} "
     "(threshold {threshold:setting})"},
    {"detector.cusum.up",
     "{value:amount} against an expected {baseline:amount}: the upper CUSUM reached {score:score} standard deviations "
     "over {run:plural:# month|# months} (threshold {h:setting})"},
    {"detector.cusum.down",
     "{value:amount} against an expected {baseline:amount}: the lower CUSUM reached {score:score} standard deviations "
     "over {run:plural:# month|# months} (threshold {h:setting})"},
    {"detector.ewma.up",
     "{value:amount} against an expected {baseline:amount}: the EWMA is {score:score} standard errors above the "
     "training level (threshold {L:setting})"},
    {"detector.ewma.down",
     "{value:amount} against an expected {baseline:amount}: the EWMA is {score:score} standard errors below the "
     "training level (threshold {L:setting})"},
    {"detector.forecast.up",
     "{value:amount} is above the {level:percent}% prediction interval of the {model} forecast of {mean:amount} "
     "(upper bound {bound:amount})"},
    {"detector.forecast.down",
     "{value:amount} is below the {level:percent}% prediction interval of the {model} forecast of {mean:amount} "
     "(lower bound {bound:amount})"},
    {"model.naive", "naive"},
    {"model.seasonal_naive", "seasonal naive"},

    // Upstream triggers (warning/evaluate.cpp): a surge and its projection.
    {"upstream.projection",
     "At {checkpoint}, {citizenship}: {detail} {projected} {downstream}: {from} to {to} ({coverage:percent}% window; "
     "transit {months:plural:# month|# months}, {low:count} to {high:count}, {basis}{rise})."},
    {"upstream.basis.data", "estimated from the data up to {through}"},
    {"upstream.basis.declared", "partly from the route's declared lags"},
    {"upstream.rise", "; a surge peaks {low:count} to {high:plural:# month|# months} after it is first flagged, {note}"},
    {"upstream.no_rise", ""},
    {"evaluate.checkpoint_without_data",
     "route {route}: no data for checkpoint {checkpoint} (none of its sources is in the store); it gets projections "
     "only"},

    // Country roles along a route (analysis/route.cpp).
    {"role.sending.home", "the citizenship's own country"},
    {"role.note.group_not_country", "{citizenship} is a group, not one country: no sending country"},
    {"role.note.no_asylum_source", "the route names no asylum source: transit and receiving are not told apart"},
    {"role.note.asylum_source_missing",
     "asylum source {source} is not in the store: transit and receiving are not told apart"},
    {"role.note.home_checkpoint", "{checkpoint} is in the citizenship's own country: left out"},
    {"role.no_series.receiving", "{source} has no {citizenship} series; receiving as the route ends here"},
    {"role.no_series.transit", "{source} has no {citizenship} series; transit as the route declares"},
    {"role.no_data.receiving", "no data; receiving as the route ends here"},
    {"role.no_data.transit", "no data; transit as the route declares"},
    {"role.not_seen", "no {citizenship} counted at {checkpoint} in the window"},
    {"role.receiving.route_end", "the route ends here"},
    {"role.transit_and_receiving",
     "{asylum:count} asylum applications in {years} against {flow:count} counted there (at least {share:count}%)"},
    {"role.transit.asylum_below",
     "{asylum:count} asylum applications in {years} against {flow:count} counted there (below {share:count}%)"},
    {"role.transit.no_asylum_figure",
     "no asylum figure for {citizenship} in {years} ({source} publishes none, or withholds a small one)"},
    {"role.transit.asylum_not_compared", "flows counted; asylum not compared"},

    // How a route's event window was chosen (reports/route_report.cpp).
    {"route.window.asked", "the window asked for"},
    {"route.window.surge", "surge at {checkpoint}: months above twice the trailing 12-month median"},
    {"route.window.no_surge", "no surge found at the first checkpoint with data: the months shown"},
};

}  // namespace

std::span<const MessageEntry> messages_en() { return kEntries; }

}  // namespace atalaya
