// Labels in English and Spanish, and Intl formatting for the chosen language.

const STRINGS = {
  en: {
    tagline: 'migration in the Americas',
    skip: 'Skip to content',
    'nav.overview': 'Overview',
    'nav.explorer': 'Series explorer',
    'nav.explorer.short': 'Series',
    'nav.route': 'Route',
    'nav.alerts': 'Alerts',
    'nav.label': 'Main',
    'lang.switch': 'Español',
    'lang.switchLabel': 'Cambiar a español',
    loading: 'Loading…',
    error: 'Error',
    noData: 'no data',
    footer: 'Atalaya',
    'footer.sources': 'sources in this store',
    'footer.none': 'no data ingested yet',
    'footer.simulated': 'simulated',
    'banner.simulated': (names) => `Simulated data: ${names} ${names.includes(',') ? 'were' : 'was'} made by atalaya simulate for the demonstration. No one published these numbers.`,

    'overview.title': 'Overview',
    'overview.route': 'Route',
    'overview.checkpoints': 'Checkpoints',
    'overview.latest': 'Latest month',
    'overview.vsTrailing': 'vs. previous 3 months',
    'overview.vsYearAgo': 'vs. a year ago',
    'overview.trailingMean': 'mean of the 3 months before',
    'overview.yearAgo': 'a year before',
    'overview.provisional': 'provisional',
    'overview.rising': 'Citizenships rising fastest',
    'overview.risingNone': 'No citizenship is rising.',
    'overview.alerts': 'Alerts',
    'overview.open': 'open',
    'overview.acknowledged': 'acknowledged',
    'overview.latestAlerts': 'Latest alerts',
    'overview.toInbox': 'Open the alert inbox',
    'overview.recent': 'Recent months',
    'overview.openInExplorer': 'Explore this series',

    'col.citizenship': 'Citizenship',
    'col.checkpoint': 'Checkpoint',
    'col.month': 'Month',
    'col.value': 'Value',
    'col.trailing': 'Trailing mean',
    'col.change': 'Change',
    'col.period': 'Period',
    'col.status': 'Status',

    'explorer.title': 'Series explorer',
    'explorer.source': 'Source',
    'explorer.reporter': 'Reporter',
    'explorer.citizenship': 'Citizenship',
    'explorer.event': 'Event',
    'explorer.location': 'Location',
    'explorer.freq': 'Frequency',
    'explorer.from': 'From',
    'explorer.to': 'To',
    'explorer.all': 'All',
    'explorer.by': 'Group by',
    'explorer.noGroup': 'None',
    'explorer.demographic': 'Demographic',
    'explorer.authority': 'Authority',
    'explorer.top': 'Show',
    'explorer.allGroups': 'All groups',
    'explorer.largest': (n) => `Largest ${n}`,
    'explorer.periodHint': 'e.g. 2021-01, 2021-Q3, 2021',
    'explorer.show': 'Show',
    'explorer.chart': 'Chart',
    'explorer.table': 'Values',
    'explorer.download': 'Download',
    'explorer.csv': 'CSV',
    'explorer.sdmx': 'SDMX-CSV',
    'explorer.xlsx': 'Excel',
    'explorer.forecast': 'Forecast',
    'explorer.forecastModel': 'Forecast model',
    'explorer.history': 'Observed',
    'explorer.mean': 'Forecast',
    'explorer.band80': '80% interval',
    'explorer.band95': '95% interval',
    'explorer.noForecast': 'No forecast for this selection.',
    'explorer.forecastMonthly': 'Forecasts are shown for monthly series.',
    'explorer.noRows': 'No values for this selection.',
    'explorer.unit': 'Unit',
    'explorer.notes': 'Notes',
    'freq.native': 'As published',
    'freq.M': 'Monthly',
    'freq.Q': 'Quarterly',
    'freq.A': 'Annual',
    'freq.FY': 'U.S. fiscal year',
    'status.final': 'final',
    'status.provisional': 'provisional',
    'status.estimated': 'estimated',
    'status.missing': 'no data',
    'status.suppressed': 'suppressed (small value withheld)',
    'status.partial': (covers) => `partial: ${covers} only`,
    'explorer.partialNote': 'A hollow point is a partial period (rolled up from incomplete months). A break in a line is a period no release covers.',

    'route.title': 'Route',
    'route.route': 'Route',
    'route.citizenship': 'Citizenship',
    'route.align': 'Align checkpoints by their estimated lag',
    'route.chart': 'Along the route',
    'route.lags': 'Transit lags',
    'route.cumulative': 'Cumulative lag',
    'route.roles': 'Country roles',
    'route.map': 'Map of roles',
    'route.checkpoints': 'Checkpoints',
    'route.months': (n) => (n === 1 ? '1 month' : `${n} months`),
    'route.range': (lo, hi) => `${lo} to ${hi}`,
    'route.estimated': 'estimated from the data',
    'route.declared': 'as the route declares',
    'route.correlation': 'correlation',
    'route.window': 'Event window',
    'route.notes': 'Notes',
    'route.shifted': (n) => `shifted back ${n} mo.`,
    'route.alignedNote': 'Each checkpoint is shifted back by its estimated cumulative lag, so the months are those at which the people passed the first checkpoint.',
    'route.source': 'source',
    'role.sending': 'sending',
    'role.transit': 'transit',
    'role.transit-and-receiving': 'transit and receiving',
    'role.receiving': 'receiving',
    'role.not seen': 'not seen',
    'role.other': 'other countries',

    'alerts.title': 'Alert inbox',
    'alerts.status': 'Status',
    'alerts.name': 'Your name',
    'alerts.nameHint': 'recorded with each acknowledgement',
    'alerts.nameNeeded': 'Enter your name first (above the list).',
    'alerts.token': 'Editor access token',
    'alerts.tokenHint': 'from the server\'s administrator; your name comes with it',
    'alerts.tokenNeeded': 'Enter your editor access token first (above the list).',

    'nav.signin': 'Sign in',
    'nav.upload': 'Upload',
    'nav.audit': 'Audit',
    'account.signIn': 'Sign in',
    'account.signOut': 'Sign out',
    'account.roleFor': (role, reporters) => `${role} for ${reporters}`,
    'account.role.administrator': 'administrator',
    'account.role.data_team': 'data team',
    'account.role.focal_point': 'focal point',
    'account.role.task_force': 'task force',
    'account.role.analyst': 'analyst',
    'signin.title': 'Sign in',
    'signin.noAccounts': 'This server has no accounts: there is no one to sign in as. Everything it offers is open.',
    'signin.already': (name) => `You are signed in as ${name}. Signing in again replaces that session.`,
    'signin.login': 'Name or e-mail',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.retryAt': (when, minutes) => `Try again after ${when} (in about ${minutes} min).`,
    'alerts.actingAs': (name) => `Signed in as ${name}: your changes are recorded under that name.`,

    'upload.title': 'Upload data',
    'upload.noAccounts': 'This server has no accounts; uploads and the audit trail need them.',
    'upload.noRight': (name) => `${name} does not hold the right upload_data: ask an administrator.`,
    'upload.signInFirst': 'Uploading a file needs an account with the right upload_data.',
    'upload.intro': 'The file is first checked and previewed; nothing is stored until you confirm.',
    'upload.source': 'Source',
    'upload.chooseSource': 'Choose a source…',
    'upload.file': 'File (CSV)',
    'upload.check': 'Check the file',
    'upload.checking': 'Checking the file…',
    'upload.pickBoth': 'Choose a source and a file first.',
    'upload.previewTitle': (file, source) => `Preview: ${file} for ${source}`,
    'upload.wouldBe': (v) => `Confirming stores this file as vintage ${v}. Nothing is stored yet.`,
    'upload.sameFile': (v) => `This very file is already the source's newest vintage (${v}): nothing to store.`,
    'upload.noChanges': 'The file changes no value: nothing to store.',
    'upload.rowsRead': 'Rows read',
    'upload.rowsNew': 'New',
    'upload.rowsRevised': 'Revised',
    'upload.rowsWithdrawn': 'Withdrawn',
    'upload.seriesAdded': 'Series added',
    'upload.largest': 'Largest revisions',
    'upload.series': 'Series',
    'upload.old': 'Old value',
    'upload.new': 'New value',
    'upload.confirm': 'Confirm and store',
    'upload.cancel': 'Cancel',
    'upload.stored': (v, source) => `Stored: vintage ${v} of ${source}.`,
    'upload.explore': (source) => `See ${source} in the series explorer`,
    'upload.refused': (file) => `${file} was refused`,
    'upload.nothingStored': 'Nothing was stored. Correct these problems and send the file again.',
    'upload.line': 'Line',
    'upload.column': 'Column',
    'upload.value': 'Value',
    'upload.expected': 'Expected',
    'upload.omitted': (n) => `…and ${n} more problems not listed.`,

    'audit.title': 'Audit trail',
    'audit.noRight': (name) => `${name} does not hold the right read_audit (administrators only).`,
    'audit.signInFirst': 'The audit trail is for administrators.',
    'audit.person': 'Person',
    'audit.action': 'Action',
    'audit.actionHint': 'exact, or a prefix ending in "." (vintage.)',
    'audit.from': 'From',
    'audit.to': 'To',
    'audit.apply': 'Show',
    'audit.older': 'Older lines',
    'audit.public': 'the public',
    'audit.none': 'No line matches these filters.',
    'audit.outcome.ok': 'ok',
    'audit.outcome.denied': 'denied',
    'audit.outcome.refused': 'refused',
    'audit.outcome.failed': 'failed',
    'audit.col.when': 'When (UTC)',
    'audit.col.person': 'Person',
    'audit.col.action': 'Action',
    'audit.col.object': 'Object',
    'audit.col.outcome': 'Outcome',
    'audit.col.detail': 'Detail',
    'alerts.note': 'Note',
    'alerts.acknowledge': 'Acknowledge',
    'alerts.resolve': 'Resolve',
    'alerts.none': 'No alerts with this status.',
    'alerts.count': (n) => (n === 1 ? '1 alert' : `${n} alerts`),
    'alerts.window': 'Projected window',
    'alerts.periods': 'Months',
    'alerts.evidence': 'Evidence',
    'alerts.history': 'History',
    'alerts.explanation': 'Explanation',
    'alerts.threshold': 'threshold',
    'alerts.baseline': 'baseline',
    'alerts.expected': 'expected',
    'alerts.upper': 'upper bound',
    'alerts.at': 'at',
    'alerts.key': 'Key',
    'alerts.trigger': 'Trigger',
    'alerts.done': 'Saved.',
    'events.count': (n) => (n === 1 ? '1 event' : `${n} events`),
    'events.seenAt': 'Seen at',
    'events.notSeen': 'Not seen here yet.',
    'events.back': '← All events',
    'events.alerts': 'Active alerts',
    'events.from': (cp) => `from the surge seen at ${cp}`,
    'events.live': 'Live inbox',
    'events.drill': 'Drill',
    'events.space': 'Inbox',
    'events.drillBanner': (name) => `Drill “${name}”: a replay of history (watch --as-of or replay --drill), not the live inbox. Nobody was notified.`,
    'phase.emerging': 'emerging',
    'phase.ongoing': 'ongoing',
    'phase.persistent': 'high for months',
    'st.active': 'active (open, acknowledged)',
    'st.open': 'open',
    'st.acknowledged': 'acknowledged',
    'st.resolved': 'resolved',
    'st.expired': 'expired',
    'st.all': 'all',
    'sev.minor': 'minor',
    'sev.moderate': 'moderate',
    'sev.severe': 'severe',
    'sev.extreme': 'extreme',
    'key.citizenship': 'citizenship',
    'key.source': 'source',
    'key.checkpoint': 'checkpoint',
    'key.route': 'route',
    'key.reporter': 'reporter',
    'key.location': 'location',
    'key.event': 'event',
  },
  es: {
    tagline: 'migración en las Américas',
    skip: 'Ir al contenido',
    'nav.overview': 'Resumen',
    'nav.explorer': 'Explorador de series',
    'nav.explorer.short': 'Series',
    'nav.route': 'Ruta',
    'nav.alerts': 'Alertas',
    'nav.label': 'Principal',
    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    loading: 'Cargando…',
    error: 'Error',
    noData: 'sin datos',
    footer: 'Atalaya',
    'footer.sources': 'fuentes en este almacén',
    'footer.none': 'todavía no hay datos',
    'footer.simulated': 'simulada',
    'banner.simulated': (names) => `Datos simulados: ${names} ${names.includes(',') ? 'los generó' : 'lo generó'} atalaya simulate para la demostración. Nadie publicó estas cifras.`,

    'overview.title': 'Resumen',
    'overview.route': 'Ruta',
    'overview.checkpoints': 'Puntos de control',
    'overview.latest': 'Último mes',
    'overview.vsTrailing': 'frente a los 3 meses previos',
    'overview.vsYearAgo': 'frente a hace un año',
    'overview.trailingMean': 'media de los 3 meses anteriores',
    'overview.yearAgo': 'un año antes',
    'overview.provisional': 'provisional',
    'overview.rising': 'Nacionalidades en mayor aumento',
    'overview.risingNone': 'Ninguna nacionalidad está en aumento.',
    'overview.alerts': 'Alertas',
    'overview.open': 'abiertas',
    'overview.acknowledged': 'reconocidas',
    'overview.latestAlerts': 'Últimas alertas',
    'overview.toInbox': 'Abrir la bandeja de alertas',
    'overview.recent': 'Meses recientes',
    'overview.openInExplorer': 'Explorar esta serie',

    'col.citizenship': 'Nacionalidad',
    'col.checkpoint': 'Punto de control',
    'col.month': 'Mes',
    'col.value': 'Valor',
    'col.trailing': 'Media previa',
    'col.change': 'Cambio',
    'col.period': 'Periodo',
    'col.status': 'Estado',

    'explorer.title': 'Explorador de series',
    'explorer.source': 'Fuente',
    'explorer.reporter': 'País informante',
    'explorer.citizenship': 'Nacionalidad',
    'explorer.event': 'Evento',
    'explorer.location': 'Lugar',
    'explorer.freq': 'Frecuencia',
    'explorer.from': 'Desde',
    'explorer.to': 'Hasta',
    'explorer.all': 'Todos',
    'explorer.by': 'Agrupar por',
    'explorer.noGroup': 'Ninguno',
    'explorer.demographic': 'Grupo demográfico',
    'explorer.authority': 'Autoridad',
    'explorer.top': 'Mostrar',
    'explorer.allGroups': 'Todos los grupos',
    'explorer.largest': (n) => `Los ${n} mayores`,
    'explorer.periodHint': 'p. ej. 2021-01, 2021-Q3, 2021',
    'explorer.show': 'Mostrar',
    'explorer.chart': 'Gráfico',
    'explorer.table': 'Valores',
    'explorer.download': 'Descargar',
    'explorer.csv': 'CSV',
    'explorer.sdmx': 'SDMX-CSV',
    'explorer.xlsx': 'Excel',
    'explorer.forecast': 'Pronóstico',
    'explorer.forecastModel': 'Modelo de pronóstico',
    'explorer.history': 'Observado',
    'explorer.mean': 'Pronóstico',
    'explorer.band80': 'intervalo del 80 %',
    'explorer.band95': 'intervalo del 95 %',
    'explorer.noForecast': 'No hay pronóstico para esta selección.',
    'explorer.forecastMonthly': 'Los pronósticos se muestran para series mensuales.',
    'explorer.noRows': 'No hay valores para esta selección.',
    'explorer.unit': 'Unidad',
    'explorer.notes': 'Notas',
    'freq.native': 'Como se publica',
    'freq.M': 'Mensual',
    'freq.Q': 'Trimestral',
    'freq.A': 'Anual',
    'freq.FY': 'Año fiscal de EE. UU.',
    'status.final': 'definitivo',
    'status.provisional': 'provisional',
    'status.estimated': 'estimado',
    'status.missing': 'sin datos',
    'status.suppressed': 'suprimido (valor pequeño no publicado)',
    'status.partial': (covers) => `parcial: solo ${covers}`,
    'explorer.partialNote': 'Un punto hueco es un período parcial (sumado de meses incompletos). Un corte en la línea es un período que ninguna publicación cubre.',

    'route.title': 'Ruta',
    'route.route': 'Ruta',
    'route.citizenship': 'Nacionalidad',
    'route.align': 'Alinear los puntos de control por su desfase estimado',
    'route.chart': 'A lo largo de la ruta',
    'route.lags': 'Desfases de tránsito',
    'route.cumulative': 'Desfase acumulado',
    'route.roles': 'Papel de cada país',
    'route.map': 'Mapa de papeles',
    'route.checkpoints': 'Puntos de control',
    'route.months': (n) => (n === 1 ? '1 mes' : `${n} meses`),
    'route.range': (lo, hi) => `de ${lo} a ${hi}`,
    'route.estimated': 'estimado a partir de los datos',
    'route.declared': 'según declara la ruta',
    'route.correlation': 'correlación',
    'route.window': 'Ventana del evento',
    'route.notes': 'Notas',
    'route.shifted': (n) => `desplazado ${n} m. atrás`,
    'route.alignedNote': 'Cada punto de control se desplaza hacia atrás según su desfase acumulado estimado: los meses son aquellos en que las personas pasaron por el primer punto de control.',
    'route.source': 'fuente',
    'role.sending': 'origen',
    'role.transit': 'tránsito',
    'role.transit-and-receiving': 'tránsito y destino',
    'role.receiving': 'destino',
    'role.not seen': 'no observado',
    'role.other': 'otros países',

    'alerts.title': 'Bandeja de alertas',
    'alerts.status': 'Estado',
    'alerts.name': 'Su nombre',
    'alerts.nameHint': 'se registra con cada reconocimiento',
    'alerts.nameNeeded': 'Escriba primero su nombre (encima de la lista).',
    'alerts.token': 'Clave de acceso de editor',
    'alerts.tokenHint': 'la da quien administra el servidor; su nombre va con ella',
    'alerts.tokenNeeded': 'Escriba primero su clave de acceso de editor (encima de la lista).',

    'nav.signin': 'Iniciar sesión',
    'nav.upload': 'Cargar datos',
    'nav.audit': 'Auditoría',
    'account.signIn': 'Iniciar sesión',
    'account.signOut': 'Cerrar sesión',
    'account.roleFor': (role, reporters) => `${role} de ${reporters}`,
    'account.role.administrator': 'administración',
    'account.role.data_team': 'equipo de datos',
    'account.role.focal_point': 'punto focal',
    'account.role.task_force': 'grupo de tarea',
    'account.role.analyst': 'análisis',
    'signin.title': 'Iniciar sesión',
    'signin.noAccounts': 'Este servidor no tiene cuentas: no hay con quién iniciar sesión. Todo lo que ofrece está abierto.',
    'signin.already': (name) => `Ha iniciado sesión como ${name}. Iniciarla de nuevo reemplaza esa sesión.`,
    'signin.login': 'Nombre o correo electrónico',
    'signin.password': 'Contraseña',
    'signin.submit': 'Iniciar sesión',
    'signin.retryAt': (when, minutes) => `Vuelva a intentarlo después de ${when} (en unos ${minutes} min).`,
    'alerts.actingAs': (name) => `Sesión iniciada como ${name}: sus cambios se registran con ese nombre.`,

    'upload.title': 'Cargar datos',
    'upload.noAccounts': 'Este servidor no tiene cuentas; las cargas y la auditoría las necesitan.',
    'upload.noRight': (name) => `${name} no tiene el derecho upload_data: pídalo a quien administra.`,
    'upload.signInFirst': 'Cargar un archivo requiere una cuenta con el derecho upload_data.',
    'upload.intro': 'Primero se revisa el archivo y se muestra una vista previa; no se guarda nada hasta que usted confirme.',
    'upload.source': 'Fuente',
    'upload.chooseSource': 'Elija una fuente…',
    'upload.file': 'Archivo (CSV)',
    'upload.check': 'Revisar el archivo',
    'upload.checking': 'Revisando el archivo…',
    'upload.pickBoth': 'Elija primero una fuente y un archivo.',
    'upload.previewTitle': (file, source) => `Vista previa: ${file} para ${source}`,
    'upload.wouldBe': (v) => `Al confirmar, este archivo se guarda como la versión ${v}. Todavía no se ha guardado nada.`,
    'upload.sameFile': (v) => `Este mismo archivo ya es la versión más reciente de la fuente (${v}): no hay nada que guardar.`,
    'upload.noChanges': 'El archivo no cambia ningún valor: no hay nada que guardar.',
    'upload.rowsRead': 'Filas leídas',
    'upload.rowsNew': 'Nuevas',
    'upload.rowsRevised': 'Revisadas',
    'upload.rowsWithdrawn': 'Retiradas',
    'upload.seriesAdded': 'Series añadidas',
    'upload.largest': 'Mayores revisiones',
    'upload.series': 'Serie',
    'upload.old': 'Valor anterior',
    'upload.new': 'Valor nuevo',
    'upload.confirm': 'Confirmar y guardar',
    'upload.cancel': 'Cancelar',
    'upload.stored': (v, source) => `Guardado: versión ${v} de ${source}.`,
    'upload.explore': (source) => `Ver ${source} en el explorador de series`,
    'upload.refused': (file) => `${file} fue rechazado`,
    'upload.nothingStored': 'No se guardó nada. Corrija estos problemas y envíe el archivo de nuevo.',
    'upload.line': 'Línea',
    'upload.column': 'Columna',
    'upload.value': 'Valor',
    'upload.expected': 'Se esperaba',
    'upload.omitted': (n) => `…y ${n} problemas más que no se listan.`,

    'audit.title': 'Registro de auditoría',
    'audit.noRight': (name) => `${name} no tiene el derecho read_audit (solo administración).`,
    'audit.signInFirst': 'El registro de auditoría es para quienes administran.',
    'audit.person': 'Persona',
    'audit.action': 'Acción',
    'audit.actionHint': 'exacta, o un prefijo que termina en "." (vintage.)',
    'audit.from': 'Desde',
    'audit.to': 'Hasta',
    'audit.apply': 'Mostrar',
    'audit.older': 'Líneas anteriores',
    'audit.public': 'el público',
    'audit.none': 'Ninguna línea coincide con estos filtros.',
    'audit.outcome.ok': 'correcto',
    'audit.outcome.denied': 'denegado',
    'audit.outcome.refused': 'rechazado',
    'audit.outcome.failed': 'fallido',
    'audit.col.when': 'Cuándo (UTC)',
    'audit.col.person': 'Persona',
    'audit.col.action': 'Acción',
    'audit.col.object': 'Objeto',
    'audit.col.outcome': 'Resultado',
    'audit.col.detail': 'Detalle',
    'alerts.note': 'Nota',
    'alerts.acknowledge': 'Reconocer',
    'alerts.resolve': 'Resolver',
    'alerts.none': 'No hay alertas con este estado.',
    'alerts.count': (n) => (n === 1 ? '1 alerta' : `${n} alertas`),
    'alerts.window': 'Ventana prevista',
    'alerts.periods': 'Meses',
    'alerts.evidence': 'Evidencia',
    'alerts.history': 'Historial',
    'alerts.explanation': 'Explicación',
    'alerts.threshold': 'umbral',
    'alerts.baseline': 'referencia',
    'alerts.expected': 'esperado',
    'alerts.upper': 'límite superior',
    'alerts.at': 'en',
    'alerts.key': 'Clave',
    'alerts.trigger': 'Disparador',
    'alerts.done': 'Guardado.',
    'events.count': (n) => (n === 1 ? '1 evento' : `${n} eventos`),
    'events.seenAt': 'Visto en',
    'events.notSeen': 'Aún no se ve aquí.',
    'events.back': '← Todos los eventos',
    'events.alerts': 'Alertas activas',
    'events.from': (cp) => `por el aumento visto en ${cp}`,
    'events.live': 'Bandeja en vivo',
    'events.drill': 'Simulacro',
    'events.space': 'Bandeja',
    'events.drillBanner': (name) => `Simulacro «${name}»: una repetición de la historia (watch --as-of o replay --drill), no la bandeja en vivo. No se notificó a nadie.`,
    'phase.emerging': 'emergente',
    'phase.ongoing': 'en curso',
    'phase.persistent': 'alto desde hace meses',
    'st.active': 'activas (abiertas, reconocidas)',
    'st.open': 'abierta',
    'st.acknowledged': 'reconocida',
    'st.resolved': 'resuelta',
    'st.expired': 'vencida',
    'st.all': 'todas',
    'sev.minor': 'menor',
    'sev.moderate': 'moderada',
    'sev.severe': 'grave',
    'sev.extreme': 'extrema',
    'key.citizenship': 'nacionalidad',
    'key.source': 'fuente',
    'key.checkpoint': 'punto de control',
    'key.route': 'ruta',
    'key.reporter': 'informante',
    'key.location': 'lugar',
    'key.event': 'evento',
  },
};

const EVENTS = {
  en: {
    apprehension: 'apprehension', asylum_application: 'asylum application', expulsion: 'expulsion',
    inadmissible: 'inadmissible', irregular_event: 'irregular-migration event',
    irregular_transit: 'irregular transit',
  },
  es: {
    apprehension: 'aprehensión', asylum_application: 'solicitud de asilo', expulsion: 'expulsión',
    inadmissible: 'inadmisible', irregular_event: 'evento de migración irregular',
    irregular_transit: 'tránsito irregular',
  },
};
const UNITS = {
  en: { persons: 'persons', events: 'events', cases: 'cases' },
  es: { persons: 'personas', events: 'eventos', cases: 'casos' },
};

const STORAGE_KEY = 'atalaya.lang';
let lang = initialLanguage();

function initialLanguage() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'es') return saved;
  } catch (_) { /* private mode */ }
  const nav = (typeof navigator !== 'undefined' && ((navigator.languages && navigator.languages[0]) || navigator.language)) || 'en';
  return nav.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function getLang() { return lang; }
export function setLang(l) {
  lang = l === 'es' ? 'es' : 'en';
  try { localStorage.setItem(STORAGE_KEY, lang); } catch (_) { /* ignore */ }
  document.documentElement.lang = lang;
}

export function t(key, ...args) {
  const v = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return typeof v === 'function' ? v(...args) : v;
}
export function eventName(e) { return EVENTS[lang][e] || e; }
export function unitName(u) { return (u && UNITS[lang][u]) || u || ''; }

// Intl.NumberFormat('es') groups 17279 as 17.279 (and, per the RAE, leaves four
// digits alone: 5898); 'en' gives 17,279.
const nfCache = {};
export function fmtNum(v, digits = 0) {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  const k = `${lang}:${digits}`;
  nfCache[k] ||= new Intl.NumberFormat(lang, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  return nfCache[k].format(v);
}
// Whole percents, unless rounding would say more than the number does: a
// fall of 99.75% is "−99.8%", never "−100%" (which reads as none left), and
// a rise of 0.3% is "+0.3%", never "0%" (which reads as no change).
export function fmtPct(frac) {
  if (frac === null || frac === undefined || Number.isNaN(frac)) return '–';
  let digits = 0;
  const rounded = (d) => Math.round(frac * 100 * 10 ** d) / 10 ** d;
  while (digits < 3 && ((frac > -1 && rounded(digits) <= -100) || (frac !== 0 && rounded(digits) === 0))) digits += 1;
  return new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits, signDisplay: 'exceptZero' }).format(frac);
}
export function fmtCompact(v) {
  return new Intl.NumberFormat(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(v);
}

function monthDate(p) {
  const [y, m] = p.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1));
}
// "2021-08" -> "August 2021" / "agosto de 2021"; quarters, years and fiscal years too.
export function fmtPeriod(p, style = 'long') {
  if (!p) return '–';
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) {
    return new Intl.DateTimeFormat(lang, { month: style === 'short' ? 'short' : 'long', year: 'numeric', timeZone: 'UTC' })
      .format(monthDate(p));
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) return lang === 'es' ? `T${m[2]} ${m[1]}` : `Q${m[2]} ${m[1]}`;
  if ((m = /^FY(\d{4})$/.exec(p))) return lang === 'es' ? `AF ${m[1]}` : `FY ${m[1]}`;
  return p;
}
export function fmtDateTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(d) + ' UTC';
}

// Country names from GET /api/v1/countries.
let countries = new Map();
export function setCountries(list) {
  countries = new Map(list.map((c) => [c.code, c]));
}
export function country(code) { return countries.get(code); }
export function countryName(code) {
  const c = countries.get(code);
  if (!c) return code;
  return (lang === 'es' ? c.name_es : c.name_en) || c.name_en || code;
}
export function allCountries() { return [...countries.values()]; }
export function collator() { return new Intl.Collator(lang); }

// The reporting country's name beside a checkpoint's, unless it says the same.
// A route's or checkpoint's name in the chosen language (route files may
// give name_es beside name).
export function placeName(o) {
  if (!o) return '';
  return (lang === 'es' && o.name_es) || o.name || o.id || '';
}

export function reporterSuffix(checkpointName, code) {
  const c = countries.get(code);
  if (!c) return code || '';
  const same = [c.name_en, c.name_es, c.code].some((n) => n && n.localeCompare(checkpointName, undefined, { sensitivity: 'base' }) === 0);
  return same ? '' : countryName(code);
}
