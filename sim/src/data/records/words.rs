//! Word pools of the record-shaped entities (international on purpose,
//! like `data::text`).

pub(crate) const ACTIVITY_SUBJECTS: &[&str] = &[
    "Follow-up call",
    "Product demo",
    "Send proposal",
    "Vertragsprüfung",
    "打ち合わせ",
    "Déjeuner avec le client",
    "Quarterly review",
    "Onboarding kickoff 🚀",
    "Созвон по условиям",
    "Negotiation meeting",
    "Reunião de alinhamento",
    "Price discussion",
];

/// (key_string, name, icon) of the built-in activity types.
pub(crate) const ACTIVITY_TYPES: &[(&str, &str, &str)] = &[
    ("call", "Call", "call"),
    ("meeting", "Meeting", "meeting"),
    ("task", "Task", "task"),
    ("deadline", "Deadline", "deadline"),
    ("email", "Email", "email"),
    ("lunch", "Lunch", "lunch"),
];

pub(crate) const PRODUCT_STEMS: &[&str] = &[
    "CRM Licence",
    "Analytics Add-on",
    "Support Plan",
    "Onboarding Package",
    "Café Espresso Machine",
    "Lizenz Büro",
    "データ移行サービス",
    "Training Day",
    "Hardware Kit",
    "Cloud Storage",
    "Consulting Hour",
    "Security Audit",
    "Pacote Premium",
    "Набор датчиков",
    "API Access",
    "Mobile Seat",
];

pub(crate) const PRODUCT_TIERS: &[&str] = &[
    "Basic",
    "Pro",
    "Enterprise",
    "Plus",
    "XL",
    "Mini",
    "Ω Edition",
];

pub(crate) const UNITS: &[&str] = &["pcs", "licence", "hour", "day", "month", "kg", "Stück"];

pub(crate) const PROJECT_TITLES: &[&str] = &[
    "Implementation",
    "Data migration",
    "Rollout phase 2",
    "Einführung CRM",
    "導入プロジェクト",
    "Intégration ERP",
    "Training programme",
    "Security hardening",
    "Website relaunch 🌐",
];

pub(crate) const TASK_TITLES: &[&str] = &[
    "Kick-off meeting",
    "Collect requirements",
    "Configure pipelines",
    "Import contacts",
    "Schulung durchführen",
    "テスト計画の作成",
    "Go-live checklist",
    "Retrospective",
    "Sign-off",
];

pub(crate) const NOTE_OPENERS: &[&str] = &[
    "<p>Call summary:</p>",
    "<p><b>Meeting notes</b></p>",
    "<p>Kurze Notiz:</p>",
    "<p>メモ:</p>",
    "<p>Résumé de l'échange :</p>",
    "<p>Next steps &amp; owners:</p>",
];

pub(crate) const LEAD_TITLES: &[&str] = &[
    "Inbound request",
    "Webinar signup",
    "Referral",
    "Trade fair contact",
    "Anfrage über Website",
    "お問い合わせ",
    "Demande de devis",
    "Cold outreach reply",
];

pub(crate) const LEAD_SOURCES: &[&str] = &[
    "Manually created",
    "Deal",
    "Web forms",
    "Prospector",
    "Leadbooster",
    "Live chat",
    "Import",
    "Website visitors",
    "Workflow automation",
    "API",
];

pub(crate) const FILE_STEMS: &[&str] = &[
    "proposal",
    "contract",
    "Angebot",
    "見積書",
    "presentation",
    "invoice",
    "NDA",
    "requirements",
];

pub(crate) const FILE_TYPES: &[(&str, &str)] = &[
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("png", "image/png"),
];

pub(crate) const COMMENTS: &[&str] = &[
    "Agreed, let's follow up next week.",
    "Danke, erledigt.",
    "了解しました。",
    "Can you attach the latest quote?",
    "👍",
    "Merci pour le résumé !",
];
