// `atalaya alert ack|resolve ID` and `atalaya event ack|resolve ID`: a
// person's change of an alert's or a warning event's lifecycle, one command
// shape for both.
#include <iostream>

#include "cli/commands.h"

namespace atalaya::cli {

void add_lifecycle_command(CLI::App& app, const GlobalOptions& global, int& status, const LifecycleCommand& c) {
  auto* cmd = app.add_subcommand(c.noun, c.description);
  cmd->require_subcommand(1);
  const std::string example = "  atalaya " + c.noun + " ack 3 --by maria --note '" + c.example_note + "'";
  cmd->footer("Examples:\n  atalaya " + c.list_command + "\n" + example + "\n  atalaya " + c.noun +
              " resolve 3 --by maria --note 'arrivals back to normal'");
  for (auto [verb, to, help] :
       {std::tuple{"ack", AlertStatus::Acknowledged, "Acknowledge " + c.article_noun + ": someone is on it"},
        std::tuple{"resolve", AlertStatus::Resolved, "Resolve " + c.article_noun + ": no further action"}}) {
    struct Options {
      int64_t id = 0;
      std::string by, note;
    };
    auto o = std::make_shared<Options>();
    auto* sub = cmd->add_subcommand(verb, help);
    sub->add_option("id", o->id, "the " + c.noun + "'s id (atalaya " + c.list_command + " lists them)")->required();
    sub->add_option("--by", o->by, "who (default $USER)");
    sub->add_option("--note", o->note, "why, for the record");
    sub->footer("Example:\n  atalaya " + c.noun + " " + verb + " 3 --by maria --note '" + c.example_note + "'");
    const AlertStatus target = to;
    const LifecycleChanger change = c.change;
    const std::string noun = c.noun;
    sub->callback([&global, &status, o, target, change, noun] {
      auto store = global.open_alerts(true);
      const std::string actor = person_or_user(o->by);
      Actor by = local_operator_actor();
      by.name = actor;
      const ChangedLifecycle done = change(*store, o->id, target, by, o->note);
      std::cout << noun << " " << done.id << " " << alert_status_name(done.status) << " by " << actor << ": "
                << done.headline << "\n";
      status = 0;
    });
  }
}

}  // namespace atalaya::cli
