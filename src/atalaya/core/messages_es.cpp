// El catálogo en español (la sintaxis de las plantillas está en messages.h).
// Cada id está también en messages_en.cpp, con los mismos argumentos. Los
// porcentajes llevan espacio duro antes de "%" (norma RAE y CLDR `es`, como
// Intl.NumberFormat('es') los escribe en el panel).
#include "atalaya/core/messages_catalogue.h"

namespace atalaya {
namespace {

constexpr MessageEntry kEntries[] = {
    {"number.missing", "sin datos"},
    {"number.unbounded", "ilimitado"},

    {"detector.amount", "{x:amount}"},
    {"detector.threshold.up", "{value:amount} alcanza o supera el umbral de {level:amount}"},
    {"detector.threshold.down", "{value:amount} está en el umbral de {level:amount} o por debajo"},
    {"detector.growth.trailing_mean", "la media de los {window:count} meses anteriores ({baseline:amount})"},
    {"detector.growth.year_ago", "los {baseline:amount} del mismo mes un año antes"},
    {"detector.growth.from_zero", "{value:amount} sigue a {compared} (umbral: {ratio:setting} veces)"},
    {"detector.growth.rise", "{value:amount} es {score:score} veces {compared} (umbral: {ratio:setting})"},
    {"detector.growth.fall", "{value:amount} es {score:score} veces {compared} (umbral: {threshold:score})"},
    {"detector.seasonal.up",
     "{value:amount} está {z:score} desviaciones típicas robustas por encima del valor estacional esperado de "
     "{baseline:amount} (umbral: {threshold:setting})"},
    {"detector.seasonal.down",
     "{value:amount} está {z:score} desviaciones típicas robustas por debajo del valor estacional esperado de "
     "{baseline:amount} (umbral: {threshold:setting})"},
    {"detector.cusum.up",
     "{value:amount} frente a {baseline:amount} esperados: la CUSUM superior llegó a {score:score} desviaciones "
     "típicas en {run:plural:# mes|# meses} (umbral: {h:setting})"},
    {"detector.cusum.down",
     "{value:amount} frente a {baseline:amount} esperados: la CUSUM inferior llegó a {score:score} desviaciones "
     "típicas en {run:plural:# mes|# meses} (umbral: {h:setting})"},
    {"detector.ewma.up",
     "{value:amount} frente a {baseline:amount} esperados: la EWMA está {score:score} errores típicos por encima del "
     "nivel de entrenamiento (umbral: {L:setting})"},
    {"detector.ewma.down",
     "{value:amount} frente a {baseline:amount} esperados: la EWMA está {score:score} errores típicos por debajo del "
     "nivel de entrenamiento (umbral: {L:setting})"},
    {"detector.forecast.up",
     "{value:amount} supera el intervalo de predicción al {level:percent}\u00a0% del pronóstico {model} de "
     "{mean:amount} (límite superior: {bound:amount})"},
    {"detector.forecast.down",
     "{value:amount} queda por debajo del intervalo de predicción al {level:percent}\u00a0% del pronóstico {model} de "
     "{mean:amount} (límite inferior: {bound:amount})"},
    {"model.naive", "ingenuo"},
    {"model.seasonal_naive", "ingenuo estacional"},

    {"upstream.projection",
     "En {checkpoint}, {citizenship}: {detail} {projected} {downstream}: de {from} a {to} (ventana del "
     "{coverage:percent} %; tránsito de {months:plural:# mes|# meses}, entre {low:count} y {high:count}, {basis}{rise})."},
    {"upstream.basis.data", "estimado con los datos hasta {through}"},
    {"upstream.basis.declared", "en parte según los desfases declarados de la ruta"},
    {"upstream.rise", "; un repunte llega a su pico entre {low:count} y {high:plural:# mes|# meses} después de señalarse por primera vez, {note}"},
    {"upstream.no_rise", ""},
    {"evaluate.checkpoint_without_data",
     "ruta {route}: no hay datos del punto de control {checkpoint} (ninguna de sus fuentes está en el almacén); solo "
     "recibe proyecciones"},

    {"role.sending.home", "el país de la propia nacionalidad"},
    {"role.note.group_not_country", "{citizenship} es un grupo, no un país: no hay país de origen"},
    {"role.note.no_asylum_source",
     "la ruta no indica fuente de asilo: no se distingue entre tránsito y destino"},
    {"role.note.asylum_source_missing",
     "la fuente de asilo {source} no está en el almacén: no se distingue entre tránsito y destino"},
    {"role.note.home_checkpoint", "{checkpoint} está en el país de la propia nacionalidad: se omite"},
    {"role.no_series.receiving", "{source} no tiene serie de {citizenship}; destino, pues la ruta termina aquí"},
    {"role.no_series.transit", "{source} no tiene serie de {citizenship}; tránsito, como declara la ruta"},
    {"role.no_data.receiving", "sin datos; destino, pues la ruta termina aquí"},
    {"role.no_data.transit", "sin datos; tránsito, como declara la ruta"},
    {"role.not_seen", "ningún registro de {citizenship} en {checkpoint} en el periodo"},
    {"role.receiving.route_end", "la ruta termina aquí"},
    {"role.transit_and_receiving",
     "{asylum:count} solicitudes de asilo en {years} frente a {flow:count} registrados allí (al menos un "
     "{share:count}\u00a0%)"},
    {"role.transit.asylum_below",
     "{asylum:count} solicitudes de asilo en {years} frente a {flow:count} registrados allí (menos del "
     "{share:count}\u00a0%)"},
    {"role.transit.no_asylum_figure",
     "no hay cifra de asilo de {citizenship} en {years} ({source} no publica ninguna o reserva las pequeñas)"},
    {"role.transit.asylum_not_compared", "flujos registrados; asilo no comparado"},

    {"route.window.asked", "el periodo solicitado"},
    {"route.window.surge", "repunte en {checkpoint}: meses por encima del doble de la mediana de los 12 meses anteriores"},
    {"route.window.no_surge", "sin repunte en el primer punto de control con datos: los meses mostrados"},
};

}  // namespace

std::span<const MessageEntry> messages_es() { return kEntries; }

}  // namespace atalaya
