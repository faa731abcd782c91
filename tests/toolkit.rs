//! The rest of the toolkit, end to end: grounding at the person's own pace.

mod harness;
mod standin;

use harness::{assert_healthy, button_ids, content, quick, Bot, PATIENCE};
use serde_json::json;
use standin::{InteractionSpec, Recorded, StandIn, UserSpec};
use std::time::Duration;
use steady::prompts::{Catalog, Catalogs, LineKind};

#[tokio::test]
async fn ground_walks_five_steps_at_the_owners_pace_and_ends_gently() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let prompts = Catalog::load(None).unwrap();
    let words = &prompts.grounding;
    let owner = UserSpec::default().id;

    let sent =
        standin.dispatch(InteractionSpec::slash("ground").in_guild(1_200_000_000_000_000_001));
    let first = standin.callback(&sent, PATIENCE).await;
    assert_eq!(first.body["data"]["flags"], 64, "private by default");
    assert_eq!(first.body["data"]["allowed_mentions"]["parse"], json!([]));
    assert!(content(&first).starts_with(&words.intro.plain()));
    assert!(content(&first).contains(&words.steps[0].plain()));
    let mut next = button_ids(&first.body["data"]).remove(0);

    let stranger = UserSpec::new(1_100_000_000_000_000_777, "stranger");
    let press = standin.dispatch(InteractionSpec::button(&sent, &next).user(stranger));
    let refused = standin.callback(&press, PATIENCE).await;
    assert_eq!(content(&refused), prompts.errors.not_yours.plain());

    for step in &words.steps[1..] {
        let press = standin.dispatch(InteractionSpec::button(&sent, &next));
        let shown = standin.callback(&press, PATIENCE).await;
        assert_eq!(shown.body["type"], 7, "the same message moves on");
        assert!(content(&shown).contains(&step.plain()));
        next = button_ids(&shown.body["data"]).remove(0);
    }
    let press = standin.dispatch(InteractionSpec::button(&sent, &next));
    let closing = standin.callback(&press, PATIENCE).await;
    assert_eq!(content(&closing), words.closing.plain());
    assert!(content(&closing).contains("/support"));
    assert_eq!(
        button_ids(&closing.body["data"]),
        [
            format!("breathe:start:{owner}:1"),
            format!("anchors:show:{owner}:")
        ]
    );

    let public = standin.dispatch(InteractionSpec::slash("ground").option("private", json!(false)));
    let shown = standin.callback(&public, PATIENCE).await;
    assert_eq!(
        shown.body["data"]["flags"].as_u64().unwrap_or(0) & 64,
        0,
        "shared when chosen"
    );
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// `/soothe` up to the secure-base question, choosing `feeling`; the exits.
async fn soothe_to_exits(standin: &StandIn, feeling: usize) -> (standin::Sent, Vec<String>) {
    let prompts = Catalog::load(None).unwrap();
    let sent = standin.dispatch(InteractionSpec::slash("soothe"));
    let asked = standin.callback(&sent, PATIENCE).await;
    assert_eq!(asked.body["data"]["flags"], 64, "always private");
    assert_eq!(content(&asked), prompts.soothe.question.plain());
    let menu = &asked.body["data"]["components"][0]["components"][0];
    let labels: Vec<&str> = menu["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = prompts
        .soothe
        .feelings
        .iter()
        .map(|f| &f.label)
        .chain([&prompts.soothe.not_safe.label])
        .map(|label| label.plain())
        .collect();
    assert_eq!(
        labels, expected,
        "every feeling, then \"I don't feel safe\""
    );
    let custom_id = menu["custom_id"].as_str().unwrap();
    let chose = standin.dispatch(InteractionSpec::select(
        &sent,
        custom_id,
        &[&feeling.to_string()],
    ));
    let answered = standin.callback(&chose, PATIENCE).await;
    assert_eq!(answered.body["type"], 7);
    let text = content(&answered);
    assert!(
        text.starts_with(&prompts.soothe.feelings[feeling].validation.plain()),
        "{text}"
    );
    assert!(text.contains(&prompts.soothe.compassion.plain()));
    assert!(text.ends_with(&format!("**{}**", prompts.soothe.secure_base.plain())));
    (sent, button_ids(&answered.body["data"]))
}

#[tokio::test]
async fn soothe_validates_each_feeling_and_reaches_each_of_its_exits() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let prompts = Catalog::load(None).unwrap();
    let owner = UserSpec::default().id;
    for feeling in 0..prompts.soothe.feelings.len() {
        soothe_to_exits(&standin, feeling).await;
    }
    let (sent, exits) = soothe_to_exits(&standin, 0).await;
    assert_eq!(
        exits,
        [
            format!("breathe:start:{owner}:1"),
            format!("ground:start:{owner}:1"),
            format!("anchors:show:{owner}:"),
            format!("wait:begin:{owner}:"),
            format!("support:show:{owner}:"),
            format!("journal:write:{owner}:"),
            format!("reframe:start:{owner}:"),
        ]
    );
    // The slower work opens its form over the chat.
    for exit in &exits[5..] {
        let press = standin.dispatch(InteractionSpec::button(&sent, exit));
        let answer = standin.callback(&press, PATIENCE).await;
        assert_eq!(answer.body["type"], 9, "{exit}: a modal");
    }
    let mut seen = Vec::new();
    for exit in exits[..5].iter().filter(|exit| !exit.starts_with("wait:")) {
        let press = standin.dispatch(InteractionSpec::button(&sent, exit));
        let answer = standin.callback(&press, PATIENCE).await;
        assert_eq!(answer.body["type"], 4, "{exit}: a new message");
        assert_eq!(
            answer.body["data"]["flags"], 64,
            "{exit}: private, like the flow"
        );
        seen.push(content(&answer).to_owned());
    }
    assert!(seen[0].contains("4-7-8"), "breathing begins: {}", seen[0]);
    assert!(seen[1].starts_with(&prompts.grounding.intro.plain()));
    assert_eq!(seen[2], prompts.anchors.messages.none_yet.plain());
    assert_eq!(seen[3], prompts.support.message("en-US"));
    // Waiting with the person begins privately: acknowledged at once, then
    // the wait, once its first DM is on its way.
    let wait = standin.dispatch(InteractionSpec::button(&sent, &exits[3]));
    let ack = standin.callback(&wait, PATIENCE).await;
    assert_eq!(ack.body["type"], 5);
    assert_eq!(ack.body["data"]["flags"], 64);
    let begun = standin.next_original_edit(&wait, PATIENCE).await;
    let text = begun.body["content"].as_str().unwrap();
    let minutes = prompts.wait.minutes.render(20);
    assert!(text.contains(&minutes), "{text}");
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

/// A short relax.toml, through prompts.dir, so the exercise takes seconds.
fn quick_relax() -> tempfile::TempDir {
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/prompts/relax.toml"))
            .unwrap();
    let groups_at = shipped.find("groups = [").unwrap();
    let short = format!(
        "{}groups = [\"hands\", \"shoulders\"]\n\n[actions]\ntense = \"Gently tense your {{group}}…\"\n\
         release = \"Let your {{group}} go…\"\n\n[[paces]]\nname = \"Quick\"\ntense_seconds = 1\nrelease_seconds = 2\n",
        &shipped[..groups_at]
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("relax.toml"), short).unwrap();
    dir
}

#[tokio::test]
async fn relax_edits_one_message_on_its_plan_with_stop_and_again() {
    use steady::pace::plan::Cadence;
    let dir = quick_relax();
    let prompts = Catalog::load(Some(dir.path())).unwrap();
    let plan =
        steady::pace::relax::plan(&prompts.relax, None, Duration::ZERO, Cadence::DISCORD).unwrap();
    let standin = StandIn::start_with(quick()).await;
    let settings = format!(
        "[breathe]\nlead_in_seconds = 0\n[prompts]\ndir = \"{}\"\n",
        dir.path().display()
    );
    let bot = Bot::start_with(&standin, &settings).await;
    let owner = UserSpec::default().id;

    let sent = standin.dispatch(InteractionSpec::slash("relax"));
    let first = standin.callback(&sent, PATIENCE).await;
    assert_eq!(content(&first), plan.frames()[0].text);
    assert!(content(&first).contains("Gently tense your hands"));
    assert_eq!(
        button_ids(&first.body["data"]),
        [format!("pace:stop:{owner}:{}", sent.id)]
    );
    let mut edits = Vec::new();
    let end = &plan.frames().last().unwrap().text;
    while edits.last().is_none_or(|e: &Recorded| content_of(e) != end) {
        edits.push(
            standin
                .next_original_edit(&sent, Duration::from_secs(10))
                .await,
        );
    }
    let texts: Vec<&str> = edits.iter().map(content_of).collect();
    let planned: Vec<&str> = plan.frames()[1..].iter().map(|f| f.text.as_str()).collect();
    assert_eq!(texts, planned, "the relax plan, frame by frame");
    for (edit, frame) in edits.iter().zip(&plan.frames()[1..]) {
        let offset = edit.at - first.at;
        assert!(
            offset + Duration::from_millis(50) >= frame.at
                && offset <= frame.at + Duration::from_millis(400)
        );
    }
    assert!(end.contains("/support"));
    let end_buttons = button_ids(&edits.last().unwrap().body);
    assert_eq!(
        end_buttons,
        [
            format!("relax:again:{owner}:0:0"),
            format!("anchors:show:{owner}:")
        ]
    );
    let again = standin.dispatch(InteractionSpec::button(&sent, &end_buttons[0]));
    let restarted = standin.callback(&again, PATIENCE).await;
    assert_eq!(content(&restarted), plan.frames()[0].text);
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}

fn content_of(edit: &Recorded) -> &str {
    edit.body["content"].as_str().unwrap_or("")
}

#[tokio::test]
async fn soothe_answers_i_dont_feel_safe_with_the_help_lines_straight_away() {
    let standin = StandIn::start_with(quick()).await;
    let bot = Bot::start(&standin).await;
    let words = Catalogs::load(None).unwrap();
    for code in ["en-US", "es-419", "pt-BR", "de", "fr"] {
        let soothe = &words.for_discord(code).soothe;
        let support = &words.for_discord(code).support;
        let sent = standin.dispatch(InteractionSpec::slash("soothe").locale(code));
        let asked = standin.callback(&sent, PATIENCE).await;
        let menu = &asked.body["data"]["components"][0]["components"][0];
        let last = menu["options"].as_array().unwrap().last().unwrap();
        assert_eq!(
            last["label"],
            json!(soothe.not_safe.label.plain()),
            "{code}"
        );
        let custom_id = menu["custom_id"].as_str().unwrap();
        let value = last["value"].as_str().unwrap();
        let chose =
            standin.dispatch(InteractionSpec::select(&sent, custom_id, &[value]).locale(code));
        let answered = standin.callback(&chose, PATIENCE).await;
        assert_eq!(answered.body["type"], 7, "{code}: in place of the menu");
        let expected = format!(
            "{}\n\n{}",
            soothe.not_safe.answer.plain(),
            support.lines_for(code)
        );
        assert_eq!(
            content(&answered),
            expected,
            "{code}: the lines, no validation"
        );
        let emergency = support
            .lines
            .iter()
            .find(|line| line.kind == LineKind::Emergency)
            .unwrap();
        let first = format!("- **{}**", emergency.place.plain());
        let after_lead = content(&answered)
            .strip_prefix(&soothe.not_safe.answer.plain())
            .unwrap();
        assert!(
            after_lead.trim_start().starts_with(&first),
            "{code}: {after_lead}"
        );
        assert_eq!(answered.body["data"]["components"], json!([]), "{code}");
    }
    bot.stop().await.unwrap();
    assert_healthy(&standin);
}
