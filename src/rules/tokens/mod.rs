//! Provider credentials: API keys, access tokens, webhook URLs and key
//! strings that a provider issues in a recognisable format.
//!
//! One rule per provider (`github-token`, `aws-access-key`, `jwt`…), each
//! covering that provider's formats; [`formats::FORMATS`] lists them all,
//! with the anchors that find them and the checks that confirm them.
//!
//! Matching is one search per file for the literal anchors of every format
//! (`ghp_`, `xoxb-`, `AKIA`, `DD_API_KEY`…: see [`prefilter`] for how it is
//! fast with so many), and each anchor found is handed to the formats that
//! use it, which check the bytes around it by hand: the token's shape, its boundaries, then
//! its checksum or decodable structure where the format has one, or else that
//! it is not a placeholder. A candidate whose checksum fails is dropped, so a
//! string that only looks like a GitHub token is never reported. Values with
//! no marker of their own (an AWS secret key, a Datadog key) are only looked
//! for where the text names them (`aws_secret_access_key = …`), never as bare
//! hex or base64.
//!
//! Every match is redacted to the provider's public marker (`ghp_…`).

use std::ops::Range;
use std::sync::LazyLock;

use crate::diagnostic::{redact_secret, Category, Level, Match};
use crate::rules::{Detector, Family, FileContext, Finder, Rule};

pub mod codec;
pub mod formats;
mod prefilter;

use formats::{Format, FORMATS};

/// Defines a provider rule. The documentation shares its "why" and the
/// first step of its fix; `what`, `example` and `revoke` are per provider.
macro_rules! provider_rule {
    (
        $ident:ident, $name:literal, $category:ident, $level:ident, $summary:literal,
        what: $what:literal,
        example: $example:literal,
        revoke: $revoke:literal $(,)?
    ) => {
        pub static $ident: Rule = Rule {
            name: $name,
            category: Category::$category,
            default_level: Level::$level,
            summary: $summary,
            doc: concat!(
                "\n## What it does\n",
                $what,
                "\n\n## Why is this bad?\n",
                "Anyone who downloads the crate can use the credential. A published crate \
                 cannot be taken back: a yanked version stays downloadable, mirrors keep \
                 copies, and scrapers read new crates within minutes.",
                "\n\n## Example\n```\n",
                $example,
                "\n```\n\n## How to fix\n",
                "The credential is compromised as soon as it has been published or pushed, \
                 so revoke it first. ",
                $revoke,
                " Then remove it from the file (or keep the file out of the package with \
                 `exclude`) and have the code read it from the environment or a secret \
                 store at run time.\n"
            ),
            ..Rule::DEFAULT
        };
    };
}

provider_rule!(GITHUB_TOKEN, "github-token", Secret, Deny, "GitHub access token",
    what: "Finds GitHub tokens: classic personal access tokens (`ghp_`), OAuth tokens (`gho_`), \
GitHub App user, installation and refresh tokens (`ghu_`, `ghs_`, `ghr_`), and fine-grained \
personal access tokens (`github_pat_`).\n\nChecksum: validated for `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` \
(CRC-32 of the random part in base 62); a string of the right shape whose checksum does not \
match is not reported. Fine-grained tokens have no public checksum and must not be placeholders.",
    example: "GITHUB_TOKEN=ghp_…  # 36 characters after the prefix",
    revoke: "Delete the token at <https://github.com/settings/tokens> (or revoke the app's authorization).",
);

provider_rule!(GITLAB_TOKEN, "gitlab-token", Secret, Deny, "GitLab access token",
    what: "Finds GitLab tokens by their prefixes: personal/project/group access tokens (`glpat-`), \
OAuth application secrets (`gloas-`), deploy tokens (`gldt-`), runner tokens (`glrt-`, `glrtr-`, \
and registration tokens `GR1348941`), CI/CD job tokens (`glcbt-`), pipeline trigger tokens (`glptt-`), \
feed (`glft-`), incoming mail (`glimt-`), agent (`glagent-`), SCIM (`glsoat-`) and feature-flag \
(`glffct-`) tokens, in both the classic form and the routable form.\n\nChecksum: validated for routable \
tokens (`<prefix><payload>.<version>.<length><CRC-32 in base 36>`), including the length field. \
Classic tokens have none and must not be placeholders.",
    example: "git clone https://oauth2:glpat-…@gitlab.com/group/project.git",
    revoke: "Revoke it under *User settings → Access tokens* (or the project's or group's token settings).",
);

provider_rule!(CRATES_IO_TOKEN, "crates-io-token", Secret, Deny, "crates.io API or trusted-publishing token",
    what: "Finds crates.io API tokens (`cio` and 32 letters and digits, what `cargo login` stores in \
`~/.cargo/credentials.toml`) and trusted-publishing tokens (`cio_tp_`).\n\nChecksum: validated for \
`cio_tp_` tokens (an XOR check character); API tokens have none and must not be placeholders.",
    example: "[registry]\ntoken = \"cio…\"",
    revoke: "Revoke it at <https://crates.io/settings/tokens>: whoever holds it can publish new versions of your crates.",
);

provider_rule!(NPM_TOKEN, "npm-token", Secret, Deny, "npm access token",
    what: "Finds npm access tokens (`npm_`).\n\nChecksum: validated (CRC-32 of the random part in base 62).",
    example: "//registry.npmjs.org/:_authToken=npm_…",
    revoke: "Delete it at <https://www.npmjs.com/settings/~/tokens>.",
);

provider_rule!(PYPI_TOKEN, "pypi-token", Secret, Deny, "PyPI or TestPyPI API token",
    what: "Finds PyPI and TestPyPI API tokens (`pypi-AgEIcHlwaS5vcmc…`, `pypi-AgENdGVzdC5weXBpLm9yZw…`).\n\n\
Checksum: none, but the token must decode as a macaroon naming `pypi.org` or `test.pypi.org` with a \
complete identifier field.",
    example: "[pypi]\npassword = pypi-AgEIcHlwaS5vcmc…",
    revoke: "Remove the token at <https://pypi.org/manage/account/token/>.",
);

provider_rule!(RUBYGEMS_KEY, "rubygems-key", Secret, Deny, "RubyGems API key",
    what: "Finds RubyGems API keys (`rubygems_` and 48 hexadecimal digits).\n\nChecksum: none; the key must not be a placeholder.",
    example: ":rubygems_api_key: rubygems_…",
    revoke: "Delete the key at <https://rubygems.org/profile/api_keys>.",
);

provider_rule!(NUGET_KEY, "nuget-key", Secret, Deny, "NuGet API key",
    what: "Finds NuGet API keys (`oy2` and 43 lowercase letters and digits).\n\nChecksum: none; the key must not be a placeholder.",
    example: "dotnet nuget push pkg.nupkg --api-key oy2…",
    revoke: "Delete the key at <https://www.nuget.org/account/apikeys>.",
);

provider_rule!(CLOJARS_TOKEN, "clojars-token", Secret, Deny, "Clojars deploy token",
    what: "Finds Clojars deploy tokens (`CLOJARS_` and 60 hexadecimal digits).\n\nChecksum: none; the token must not be a placeholder.",
    example: "CLOJARS_PASSWORD=CLOJARS_…",
    revoke: "Disable the token at <https://clojars.org/tokens>.",
);

provider_rule!(DOCKERHUB_TOKEN, "dockerhub-token", Secret, Deny, "Docker Hub access token",
    what: "Finds Docker Hub personal (`dckr_pat_`) and organization (`dckr_oat_`) access tokens.\n\nChecksum: none; the token must not be a placeholder.",
    example: "docker login -u me -p dckr_pat_…",
    revoke: "Delete it under *Account settings → Personal access tokens* on Docker Hub.",
);

provider_rule!(ARTIFACTORY_TOKEN, "artifactory-token", Secret, Deny, "JFrog Artifactory API key or reference token",
    what: "Finds JFrog Artifactory API keys (`AKCp`) and reference tokens (`cmVmdGtuOjAxOj`, base64 of `reftkn:01:`).\n\nChecksum: none; the value must not be a placeholder.",
    example: "X-JFrog-Art-Api: AKCp…",
    revoke: "Revoke it in the JFrog Platform under *Administration → User Management → Access Tokens*.",
);

provider_rule!(AWS_ACCESS_KEY, "aws-access-key", Secret, Deny, "AWS access key id",
    what: "Finds AWS access key ids: long-term (`AKIA`, and `ABIA`/`ACCA`) and temporary STS ones \
(`ASIA`), followed by 16 base-32 characters. The id alone does not grant access, but it names the \
account and is almost always published together with its secret key. The documentation's example \
ids (`…EXAMPLE`) are not reported.\n\nChecksum: none.",
    example: "aws_access_key_id = AKIA…",
    revoke: "Deactivate and delete the access key in the IAM console, then check CloudTrail for its use.",
);

provider_rule!(AWS_SECRET_KEY, "aws-secret-key", Secret, Deny, "AWS secret access key",
    what: "Finds AWS secret access keys, which have no prefix of their own: 40 base64 characters \
assigned to a key named like `aws_secret_access_key`/`SecretAccessKey`, or within a few lines after \
an access key id. The value must mix upper case, lower case and digits, and the documentation's \
example (`…EXAMPLEKEY`) is not reported.\n\nChecksum: none.",
    example: "aws_secret_access_key = …  # 40 characters",
    revoke: "Deactivate and delete the access key in the IAM console, then check CloudTrail for its use.",
);

provider_rule!(GOOGLE_API_KEY, "google-api-key", Secret, Deny, "Google API key",
    what: "Finds Google API keys (`AIza` and 35 characters), including Firebase web keys, which are \
meant to be embedded in apps but still let others spend the project's quota unless restricted.\n\n\
Checksum: none; the key must not be a placeholder.",
    example: "let url = format!(\"https://maps.googleapis.com/maps/api/geocode/json?key={}\", \"AIza…\");",
    revoke: "Delete or regenerate the key in the Google Cloud console under *APIs & Services → Credentials*, and restrict the new one.",
);

provider_rule!(GOOGLE_OAUTH_SECRET, "google-oauth-secret", Secret, Deny, "Google OAuth client secret or refresh token",
    what: "Finds Google OAuth client secrets (`GOCSPX-`) and long-lived OAuth refresh tokens (`1//0…`).\n\nChecksum: none; the value must not be a placeholder.",
    example: "\"client_secret\": \"GOCSPX-…\"",
    revoke: "Reset the client secret in the Google Cloud console; revoke refresh tokens at <https://myaccount.google.com/permissions>.",
);

provider_rule!(SLACK_TOKEN, "slack-token", Secret, Deny, "Slack API token",
    what: "Finds Slack tokens: bot (`xoxb-`), user (`xoxp-`), app-level (`xapp-`), configuration \
access and refresh tokens (`xoxe.xoxp-`, `xoxe-`) and legacy tokens (`xoxa-`, `xoxr-`, `xoxs-`, `xoxo-`), \
each with its numeric team and user fields.\n\nChecksum: none; the token must not be a placeholder.",
    example: "SLACK_BOT_TOKEN=xoxb-…",
    revoke: "Revoke the token at <https://api.slack.com/apps> (or with `auth.revoke`).",
);

provider_rule!(SLACK_WEBHOOK, "slack-webhook", Secret, Deny, "Slack webhook URL",
    what: "Finds Slack incoming-webhook, workflow-webhook and trigger URLs \
(`https://hooks.slack.com/services/T…/B…/…`). Anyone with the URL can post to the channel.\n\n\
Checksum: none; the secret part must not be a placeholder (Slack's documented `XXXX…` sample is not reported).",
    example: "webhook = \"https://hooks.slack.com/services/T…/B…/…\"",
    revoke: "Remove the webhook from the Slack app's *Incoming Webhooks* page and create a new one.",
);

provider_rule!(STRIPE_KEY, "stripe-key", Secret, Deny, "Stripe live key or webhook signing secret",
    what: "Finds Stripe live secret keys (`sk_live_`), restricted keys (`rk_live_`) and webhook \
signing secrets (`whsec_`, also used by Svix). Publishable keys (`pk_live_`) are public by design \
and not reported; test-mode keys are reported by `test-mode-key`.\n\nChecksum: none; the key must not be a placeholder.",
    example: "STRIPE_SECRET_KEY=sk_live_…",
    revoke: "Roll the key at <https://dashboard.stripe.com/apikeys>.",
);

provider_rule!(TEST_MODE_KEY, "test-mode-key", Secret, Warn, "payment provider test-mode or sandbox key",
    what: "Finds secret keys for a payment provider's test mode: Stripe `sk_test_` and `rk_test_`, \
Braintree sandbox access tokens. They cannot move money, so this is a warning, but they read and \
change the test account's data and webhooks. Stripe's documented sample keys are not reported.\n\n\
Checksum: none; the key must not be a placeholder.",
    example: "stripe::Client::new(\"sk_test_…\")",
    revoke: "Roll the test key in the provider's dashboard.",
);

provider_rule!(BRAINTREE_TOKEN, "braintree-token", Secret, Deny, "PayPal Braintree production access token",
    what: "Finds PayPal Braintree production access tokens (`access_token$production$…$…`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "BRAINTREE_TOKEN=access_token$production$…",
    revoke: "Revoke the token in the PayPal developer dashboard.",
);

provider_rule!(SQUARE_TOKEN, "square-token", Secret, Deny, "Square access token or application secret",
    what: "Finds Square access tokens (`EAAA` and 60 characters), OAuth access tokens (`sq0atp-`) and application secrets (`sq0csp-`).\n\nChecksum: none; the value must not be a placeholder.",
    example: "SQUARE_ACCESS_TOKEN=EAAA…",
    revoke: "Replace the token or secret in the Square Developer Dashboard.",
);

provider_rule!(SENDGRID_KEY, "sendgrid-key", Secret, Deny, "SendGrid API key",
    what: "Finds SendGrid API keys (`SG.` + 22 + `.` + 43 characters).\n\nChecksum: none; the key must not be a placeholder.",
    example: "SENDGRID_API_KEY=SG.….…",
    revoke: "Delete the key under *Settings → API Keys* in SendGrid.",
);

provider_rule!(TWILIO_KEY, "twilio-key", Secret, Deny, "Twilio API key SID or auth token",
    what: "Finds Twilio API key SIDs (`SK` and 32 hexadecimal digits) near the word `twilio`, and \
auth tokens (32 hexadecimal digits) assigned to a key named `TWILIO_AUTH_TOKEN`. Bare hexadecimal \
elsewhere is never reported.\n\nChecksum: none; the value must not be a placeholder.",
    example: "TWILIO_AUTH_TOKEN=…  # 32 hex digits",
    revoke: "Delete the API key, or promote a secondary auth token, in the Twilio console.",
);

provider_rule!(MAILGUN_KEY, "mailgun-key", Secret, Deny, "Mailgun API key",
    what: "Finds Mailgun API keys (`key-` and 32 hexadecimal digits) near the word `mailgun`.\n\nChecksum: none; the key must not be a placeholder.",
    example: "MAILGUN_API_KEY=key-…",
    revoke: "Delete the key under *API Security* in Mailgun.",
);

provider_rule!(MAILCHIMP_KEY, "mailchimp-key", Secret, Deny, "Mailchimp API key",
    what: "Finds Mailchimp API keys (32 hexadecimal digits, `-us` and the data-centre number).\n\nChecksum: none; the key must not be a placeholder.",
    example: "MAILCHIMP_KEY=…-us21",
    revoke: "Disable the key under *Account → Extras → API keys*.",
);

provider_rule!(BREVO_KEY, "brevo-key", Secret, Deny, "Brevo (Sendinblue) API key",
    what: "Finds Brevo (formerly Sendinblue) API keys (`xkeysib-`).\n\nChecksum: none; the key must not be a placeholder.",
    example: "BREVO_API_KEY=xkeysib-…",
    revoke: "Delete the key under *SMTP & API* in Brevo.",
);

provider_rule!(TELEGRAM_BOT_TOKEN, "telegram-bot-token", Secret, Deny, "Telegram bot token",
    what: "Finds Telegram bot tokens (`<bot id>:AA…`, 35 characters after the colon).\n\nChecksum: none; the token must not be a placeholder.",
    example: "let bot = Bot::new(\"123456789:AA…\");",
    revoke: "Send `/revoke` to @BotFather.",
);

provider_rule!(DISCORD_TOKEN, "discord-token", Secret, Deny, "Discord webhook URL or bot token",
    what: "Finds Discord webhook URLs (`https://discord.com/api/webhooks/<id>/<token>`) and, near the \
word `discord`, bot tokens.\n\nChecksum: none, but a bot token's first segment must decode to the \
bot's numeric id.",
    example: "DISCORD_WEBHOOK=https://discord.com/api/webhooks/…/…",
    revoke: "Delete the webhook in the channel settings, or reset the bot token in the Discord developer portal.",
);

provider_rule!(FIREBASE_KEY, "firebase-key", Secret, Deny, "Firebase Cloud Messaging server key",
    what: "Finds Firebase Cloud Messaging legacy server keys (`AAAA…:APA91b…`). (Firebase web API keys \
are reported by `google-api-key`.)\n\nChecksum: none; the key must not be a placeholder.",
    example: "Authorization: key=AAAA…:APA91b…",
    revoke: "Delete the server key in the Firebase console and migrate to the HTTP v1 API.",
);

provider_rule!(OPENAI_KEY, "openai-key", Secret, Deny, "OpenAI API key",
    what: "Finds OpenAI API keys: project (`sk-proj-`), service-account (`sk-svcacct-`), admin \
(`sk-admin-`), user (`sk-None-`) and legacy (`sk-`) keys. Every format carries the marker `T3BlbkFJ` \
(base64 of \"OpenAI\") in its body, which the check requires.\n\nChecksum: none.",
    example: "OPENAI_API_KEY=sk-proj-…",
    revoke: "Delete the key at <https://platform.openai.com/api-keys>.",
);

provider_rule!(ANTHROPIC_KEY, "anthropic-key", Secret, Deny, "Anthropic API key",
    what: "Finds Anthropic API keys (`sk-ant-api03-`) and admin keys (`sk-ant-admin01-`).\n\nChecksum: none; the key must not be a placeholder.",
    example: "ANTHROPIC_API_KEY=sk-ant-api03-…",
    revoke: "Delete the key in the Anthropic Console under *API keys*.",
);

provider_rule!(HUGGINGFACE_TOKEN, "huggingface-token", Secret, Deny, "Hugging Face access token",
    what: "Finds Hugging Face user access tokens (`hf_`) and organization API tokens (`api_org_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "HF_TOKEN=hf_…",
    revoke: "Invalidate the token at <https://huggingface.co/settings/tokens>.",
);

provider_rule!(OPENROUTER_KEY, "openrouter-key", Secret, Deny, "OpenRouter API key",
    what: "Finds OpenRouter API keys (`sk-or-v1-` and 64 hexadecimal digits).\n\nChecksum: none; the key must not be a placeholder.",
    example: "OPENROUTER_API_KEY=sk-or-v1-…",
    revoke: "Delete the key at <https://openrouter.ai/settings/keys>.",
);

provider_rule!(GROQ_KEY, "groq-key", Secret, Deny, "Groq API key",
    what: "Finds Groq API keys (`gsk_` and 52 characters).\n\nChecksum: none; the key must not be a placeholder.",
    example: "GROQ_API_KEY=gsk_…",
    revoke: "Delete the key in the Groq console.",
);

provider_rule!(PERPLEXITY_KEY, "perplexity-key", Secret, Deny, "Perplexity API key",
    what: "Finds Perplexity API keys (`pplx-` and 48 characters).\n\nChecksum: none; the key must not be a placeholder.",
    example: "PERPLEXITY_API_KEY=pplx-…",
    revoke: "Delete the key in Perplexity's API settings.",
);

provider_rule!(XAI_KEY, "xai-key", Secret, Deny, "xAI API key",
    what: "Finds xAI API keys (`xai-` and 80 characters).\n\nChecksum: none; the key must not be a placeholder.",
    example: "XAI_API_KEY=xai-…",
    revoke: "Delete the key in the xAI console.",
);

provider_rule!(AZURE_STORAGE_KEY, "azure-storage-key", Secret, Deny, "Azure storage account key",
    what: "Finds Azure storage account keys in connection strings (`AccountKey=` and 88 base64 \
characters). The storage emulator's well-known development key is not reported.\n\nChecksum: none; \
the key must not be a placeholder.",
    example: "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=…;EndpointSuffix=core.windows.net",
    revoke: "Rotate the key under *Security + networking → Access keys* on the storage account.",
);

provider_rule!(AZURE_CREDENTIAL, "azure-credential", Secret, Deny, "Azure shared access key or Entra ID client secret",
    what: "Finds Service Bus, Event Hubs and IoT Hub shared access keys in connection strings \
(`SharedAccessKey=` and 44 base64 characters) and Microsoft Entra ID (Azure AD) client secrets \
(three characters, a digit, `Q~` and 31–34 characters).\n\nChecksum: none; the value must not be a placeholder.",
    example: "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=…",
    revoke: "Regenerate the shared access key, or delete the client secret under the app registration's *Certificates & secrets*.",
);

provider_rule!(DIGITALOCEAN_TOKEN, "digitalocean-token", Secret, Deny, "DigitalOcean token",
    what: "Finds DigitalOcean personal access tokens (`dop_v1_`), OAuth tokens (`doo_v1_`) and refresh tokens (`dor_v1_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "DIGITALOCEAN_TOKEN=dop_v1_…",
    revoke: "Delete the token at <https://cloud.digitalocean.com/account/api/tokens>.",
);

provider_rule!(HEROKU_KEY, "heroku-key", Secret, Deny, "Heroku API key",
    what: "Finds Heroku API keys in the prefixed format (`HRKU-AA`). Older keys are bare UUIDs and are not reported.\n\nChecksum: none; the key must not be a placeholder.",
    example: "HEROKU_API_KEY=HRKU-AA…",
    revoke: "Regenerate the key under *Account settings → API Key*, or `heroku authorizations:revoke`.",
);

provider_rule!(CLOUDFLARE_KEY, "cloudflare-key", Secret, Deny, "Cloudflare Origin CA key",
    what: "Finds Cloudflare Origin CA keys (`v1.0-` + 24 + `-` + 146 hexadecimal digits). Cloudflare \
API tokens have no prefix and are not reported.\n\nChecksum: none; the key must not be a placeholder.",
    example: "CF_ORIGIN_CA_KEY=v1.0-…-…",
    revoke: "Change the Origin CA key under *My Profile → API Tokens*.",
);

provider_rule!(FLYIO_TOKEN, "flyio-token", Secret, Deny, "Fly.io access token",
    what: "Finds Fly.io macaroon tokens (`fm2_`, `fm1a_`, `fm1r_`, as in `FlyV1 fm2_…`) and organization tokens (`fo1_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "FLY_API_TOKEN=\"FlyV1 fm2_…\"",
    revoke: "Revoke it with `fly tokens revoke`.",
);

provider_rule!(NETLIFY_TOKEN, "netlify-token", Secret, Deny, "Netlify personal access token",
    what: "Finds Netlify personal access tokens (`nfp_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "NETLIFY_AUTH_TOKEN=nfp_…",
    revoke: "Delete the token under *User settings → Applications* in Netlify.",
);

provider_rule!(TERRAFORM_TOKEN, "terraform-token", Secret, Deny, "HCP Terraform (Terraform Cloud) API token",
    what: "Finds HCP Terraform / Terraform Enterprise API tokens (`<14>.atlasv1.<60–70>`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "credentials \"app.terraform.io\" { token = \"….atlasv1.…\" }",
    revoke: "Delete the token under *User settings → Tokens*.",
);

provider_rule!(PULUMI_TOKEN, "pulumi-token", Secret, Deny, "Pulumi access token",
    what: "Finds Pulumi access tokens (`pul-` and 40 hexadecimal digits).\n\nChecksum: none; the token must not be a placeholder.",
    example: "PULUMI_ACCESS_TOKEN=pul-…",
    revoke: "Delete the token under *Settings → Access tokens* in Pulumi Cloud.",
);

provider_rule!(VAULT_TOKEN, "vault-token", Secret, Deny, "HashiCorp Vault token",
    what: "Finds HashiCorp Vault service (`hvs.`) and batch (`hvb.`) tokens. Pre-1.10 tokens (`s.` and 24 characters) are too short to tell from other text and are not reported.\n\nChecksum: none; the token must not be a placeholder.",
    example: "VAULT_TOKEN=hvs.…",
    revoke: "Revoke it with `vault token revoke`.",
);

provider_rule!(DOPPLER_TOKEN, "doppler-token", Secret, Deny, "Doppler token",
    what: "Finds Doppler personal and CLI tokens (`dp.pt.`, `dp.ct.`) and service, service-account, SCIM and audit tokens (`dp.st.`, `dp.sa.`, `dp.scim.`, `dp.audit.`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "DOPPLER_TOKEN=dp.st.prd.…",
    revoke: "Revoke the token in the Doppler dashboard.",
);

provider_rule!(SUPABASE_KEY, "supabase-key", Secret, Deny, "Supabase access token or secret key",
    what: "Finds Supabase personal access tokens (`sbp_`) and secret API keys (`sb_secret_`). \
Publishable keys and the public `anon` JWT are meant to be shipped and are not reported; a \
`service_role` JWT is reported by `jwt`.\n\nChecksum: none; the value must not be a placeholder.",
    example: "SUPABASE_ACCESS_TOKEN=sbp_…",
    revoke: "Revoke the token under *Account → Access Tokens*, or rotate the secret key in the project's API settings.",
);

provider_rule!(PLANETSCALE_TOKEN, "planetscale-token", Secret, Deny, "PlanetScale token or password",
    what: "Finds PlanetScale service tokens (`pscale_tkn_`), OAuth tokens (`pscale_oauth_`) and database passwords (`pscale_pw_`).\n\nChecksum: none; the value must not be a placeholder.",
    example: "DATABASE_URL=mysql://user:pscale_pw_…@aws.connect.psdb.cloud/db",
    revoke: "Delete the service token or password in the PlanetScale dashboard.",
);

provider_rule!(DATABRICKS_TOKEN, "databricks-token", Secret, Deny, "Databricks access token or OAuth secret",
    what: "Finds Databricks personal access tokens (`dapi` and 32 hexadecimal digits) and OAuth secrets (`dose`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "DATABRICKS_TOKEN=dapi…",
    revoke: "Revoke the token under *User settings → Developer → Access tokens*.",
);

provider_rule!(ATLASSIAN_TOKEN, "atlassian-token", Secret, Deny, "Atlassian API or access token",
    what: "Finds Atlassian API tokens (`ATATT3…=` and 8 hexadecimal digits) and access tokens (`ATCTT3…`), used for Jira, Confluence and Bitbucket Cloud.\n\nChecksum: none; the token must not be a placeholder.",
    example: "JIRA_API_TOKEN=ATATT3…",
    revoke: "Revoke the token at <https://id.atlassian.com/manage-profile/security/api-tokens>.",
);

provider_rule!(BITBUCKET_TOKEN, "bitbucket-token", Secret, Deny, "Bitbucket app password or access token",
    what: "Finds Bitbucket Cloud app passwords (`ATBB`) and Bitbucket Data Center access tokens (`BBDC-`).\n\nChecksum: none; the value must not be a placeholder.",
    example: "BITBUCKET_APP_PASSWORD=ATBB…",
    revoke: "Revoke the app password under *Personal settings → App passwords*, or the Data Center token under *Manage account → HTTP access tokens*.",
);

provider_rule!(GRAFANA_TOKEN, "grafana-token", Secret, Deny, "Grafana token or API key",
    what: "Finds Grafana service account tokens (`glsa_`), Grafana Cloud access policy tokens (`glc_`) \
and legacy API keys (`eyJrIjoi…`, base64 of `{\"k\":\"`).\n\nChecksum: validated for `glsa_` tokens \
(CRC-32 in hexadecimal). `glc_` tokens and API keys must decode to JSON of the right form.",
    example: "GRAFANA_TOKEN=glsa_…",
    revoke: "Delete the token under *Administration → Service accounts* (or the Cloud access policy).",
);

provider_rule!(SENTRY_TOKEN, "sentry-token", Secret, Deny, "Sentry auth token",
    what: "Finds Sentry organization auth tokens (`sntrys_`) and user auth tokens (`sntryu_`). \
(DSNs are public by design and not reported.)\n\nChecksum: none, but an organization token's payload \
must decode to JSON with `iat`.",
    example: "SENTRY_AUTH_TOKEN=sntrys_…",
    revoke: "Revoke the token under *Settings → Auth Tokens* in Sentry.",
);

provider_rule!(POSTMAN_KEY, "postman-key", Secret, Deny, "Postman API key",
    what: "Finds Postman API keys (`PMAK-`).\n\nChecksum: none; the key must not be a placeholder.",
    example: "POSTMAN_API_KEY=PMAK-…",
    revoke: "Delete the key at <https://go.postman.co/settings/me/api-keys>.",
);

provider_rule!(LINEAR_KEY, "linear-key", Secret, Deny, "Linear API key",
    what: "Finds Linear API keys (`lin_api_`).\n\nChecksum: none; the key must not be a placeholder.",
    example: "LINEAR_API_KEY=lin_api_…",
    revoke: "Revoke the key under *Settings → Account → Security & access*.",
);

provider_rule!(NOTION_TOKEN, "notion-token", Secret, Deny, "Notion integration token",
    what: "Finds Notion integration tokens (`ntn_`, and the older `secret_` with 43 characters).\n\nChecksum: none; the token must not be a placeholder.",
    example: "NOTION_TOKEN=ntn_…",
    revoke: "Refresh the secret on the integration's page at <https://www.notion.so/my-integrations>.",
);

provider_rule!(FIGMA_TOKEN, "figma-token", Secret, Deny, "Figma personal access token",
    what: "Finds Figma personal access tokens (`figd_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "FIGMA_TOKEN=figd_…",
    revoke: "Revoke the token under *Settings → Security* in Figma.",
);

provider_rule!(AIRTABLE_TOKEN, "airtable-token", Secret, Deny, "Airtable personal access token",
    what: "Finds Airtable personal access tokens (`pat` + 14 + `.` + 64 hexadecimal digits) near the word `airtable`.\n\nChecksum: none; the token must not be a placeholder.",
    example: "AIRTABLE_TOKEN=pat….…",
    revoke: "Delete the token at <https://airtable.com/create/tokens>.",
);

provider_rule!(ASANA_TOKEN, "asana-token", Secret, Deny, "Asana personal access token",
    what: "Finds Asana personal access tokens (`1/<id>:<32 hex>` or `2/<id>/<id>:<32 hex>`) near the word `asana`.\n\nChecksum: none; the token must not be a placeholder.",
    example: "ASANA_TOKEN=2/…/…:…",
    revoke: "Deauthorize the token in Asana's developer console.",
);

provider_rule!(OKTA_TOKEN, "okta-token", Secret, Deny, "Okta API token",
    what: "Finds Okta API tokens (`00` and 40 characters) near the word `okta`.\n\nChecksum: none; the token must not be a placeholder.",
    example: "OKTA_API_TOKEN=00…",
    revoke: "Revoke the token under *Security → API → Tokens* in the Okta admin console.",
);

provider_rule!(ONEPASSWORD_TOKEN, "onepassword-token", Secret, Deny, "1Password service account token or secret key",
    what: "Finds 1Password service account tokens (`ops_eyJ…`) and account secret keys (`A3-XXXXXX-…`).\n\n\
Checksum: none, but a service account token must decode to JSON.",
    example: "OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ…",
    revoke: "Revoke the service account token in 1Password's developer tools; regenerate an exposed secret key from the account's settings.",
);

provider_rule!(MAPBOX_TOKEN, "mapbox-token", Secret, Deny, "Mapbox secret access token",
    what: "Finds Mapbox secret tokens (`sk.eyJ…`). Public tokens (`pk.`) are meant to be shipped and not reported.\n\n\
Checksum: none, but the token's payload must decode to JSON naming the user.",
    example: "MAPBOX_DOWNLOADS_TOKEN=sk.eyJ….…",
    revoke: "Delete the token at <https://account.mapbox.com/access-tokens/>.",
);

provider_rule!(TAILSCALE_KEY, "tailscale-key", Secret, Deny, "Tailscale key",
    what: "Finds Tailscale API, auth, OAuth client, SCIM and webhook keys (`tskey-api-…`, `tskey-auth-…`…).\n\nChecksum: none; the key must not be a placeholder.",
    example: "TS_AUTHKEY=tskey-auth-…",
    revoke: "Revoke the key under *Settings → Keys* in the Tailscale admin console.",
);

provider_rule!(SONARQUBE_TOKEN, "sonarqube-token", Secret, Deny, "SonarQube token",
    what: "Finds SonarQube user, analysis and project tokens (`squ_`, `sqa_`, `sqp_`). Badge tokens (`sqb_`) are public and not reported.\n\nChecksum: none; the token must not be a placeholder.",
    example: "SONAR_TOKEN=squ_…",
    revoke: "Revoke the token under *My Account → Security*.",
);

provider_rule!(BUILDKITE_TOKEN, "buildkite-token", Secret, Deny, "Buildkite API access token",
    what: "Finds Buildkite user API access tokens (`bkua_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "BUILDKITE_API_TOKEN=bkua_…",
    revoke: "Revoke the token under *Personal Settings → API Access Tokens*.",
);

provider_rule!(DYNATRACE_TOKEN, "dynatrace-token", Secret, Deny, "Dynatrace API token",
    what: "Finds Dynatrace API and platform tokens (`dt0c01.`, `dt0s01.`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "DT_API_TOKEN=dt0c01.….…",
    revoke: "Revoke the token under *Access tokens* in Dynatrace.",
);

provider_rule!(CONTENTFUL_TOKEN, "contentful-token", Secret, Deny, "Contentful personal access token",
    what: "Finds Contentful personal access tokens (`CFPAT-`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-…",
    revoke: "Revoke the token under *Settings → CMA tokens*.",
);

provider_rule!(SHOPIFY_TOKEN, "shopify-token", Secret, Deny, "Shopify access token or shared secret",
    what: "Finds Shopify Admin API access tokens (`shpat_`), app shared secrets (`shpss_`), and custom and private app tokens (`shpca_`, `shppa_`).\n\nChecksum: none; the token must not be a placeholder.",
    example: "SHOPIFY_ACCESS_TOKEN=shpat_…",
    revoke: "Uninstall and reinstall the app (or rotate its credentials) in the Shopify admin.",
);

provider_rule!(NEWRELIC_KEY, "newrelic-key", Secret, Deny, "New Relic API or license key",
    what: "Finds New Relic user and admin API keys (`NRAK-`, `NRAA-`), Insights insert and query keys \
(`NRII-`, `NRIQ-`) and license keys (40 characters ending in `NRAL`). Browser keys (`NRJS-`) are \
public and not reported.\n\nChecksum: none; the key must not be a placeholder.",
    example: "NEW_RELIC_API_KEY=NRAK-…",
    revoke: "Delete the key under *API keys* in New Relic.",
);

provider_rule!(DATADOG_KEY, "datadog-key", Secret, Deny, "Datadog API or application key",
    what: "Finds Datadog API keys (32 hexadecimal digits) and application keys (40) assigned to a key \
named `DD_API_KEY`/`DD_APP_KEY` or a variant. Bare hexadecimal elsewhere (hashes, git SHAs) is never \
reported.\n\nChecksum: none; the key must not be a placeholder.",
    example: "DD_API_KEY=…  # 32 hex digits",
    revoke: "Revoke the key under *Organization settings → API keys* (or *Application keys*).",
);

provider_rule!(JWT, "jwt", Secret, Warn, "JSON Web Token",
    what: "Finds signed JSON Web Tokens (`eyJ….eyJ….…`). Bearer tokens for APIs and sessions are often \
JWTs; many expire, and some in test data are signed with throw-away keys, so this is a warning.\n\n\
Checksum: none, but the header must decode to a JSON object with `alg`, the payload to a JSON object, \
and the signature must be present. jwt.io's sample token and Supabase's public `anon` keys are not reported.",
    example: "Authorization: Bearer eyJ….eyJ….…",
    revoke: "Revoke the session or rotate the signing key of the service that issued it.",
);

provider_rule!(AGE_SECRET_KEY, "age-secret-key", PrivateKey, Deny, "age encryption secret key",
    what: "Finds age secret keys (`AGE-SECRET-KEY-1…`).\n\nChecksum: validated (Bech32).",
    example: "# created: 2024-01-01T00:00:00Z\nAGE-SECRET-KEY-1…",
    revoke: "Generate a new identity with `age-keygen` and re-encrypt what the old one protected: everything encrypted to it can now be decrypted by anyone.",
);

provider_rule!(NOSTR_SECRET_KEY, "nostr-secret-key", PrivateKey, Deny, "Nostr secret key",
    what: "Finds Nostr secret keys in NIP-19 form (`nsec1…`).\n\nChecksum: validated (Bech32).",
    example: "let keys = Keys::parse(\"nsec1…\")?;",
    revoke: "A Nostr identity cannot be revoked: move to a new key and announce the change.",
);

pub static FAMILY: Family = Family {
    rules: &[
        &GITHUB_TOKEN,
        &GITLAB_TOKEN,
        &CRATES_IO_TOKEN,
        &NPM_TOKEN,
        &PYPI_TOKEN,
        &RUBYGEMS_KEY,
        &NUGET_KEY,
        &CLOJARS_TOKEN,
        &DOCKERHUB_TOKEN,
        &ARTIFACTORY_TOKEN,
        &AWS_ACCESS_KEY,
        &AWS_SECRET_KEY,
        &GOOGLE_API_KEY,
        &GOOGLE_OAUTH_SECRET,
        &AZURE_STORAGE_KEY,
        &AZURE_CREDENTIAL,
        &DIGITALOCEAN_TOKEN,
        &HEROKU_KEY,
        &CLOUDFLARE_KEY,
        &FLYIO_TOKEN,
        &NETLIFY_TOKEN,
        &TERRAFORM_TOKEN,
        &PULUMI_TOKEN,
        &VAULT_TOKEN,
        &DOPPLER_TOKEN,
        &SUPABASE_KEY,
        &PLANETSCALE_TOKEN,
        &DATABRICKS_TOKEN,
        &SLACK_TOKEN,
        &SLACK_WEBHOOK,
        &DISCORD_TOKEN,
        &TELEGRAM_BOT_TOKEN,
        &TWILIO_KEY,
        &SENDGRID_KEY,
        &MAILGUN_KEY,
        &MAILCHIMP_KEY,
        &BREVO_KEY,
        &FIREBASE_KEY,
        &STRIPE_KEY,
        &TEST_MODE_KEY,
        &BRAINTREE_TOKEN,
        &SQUARE_TOKEN,
        &SHOPIFY_TOKEN,
        &OPENAI_KEY,
        &ANTHROPIC_KEY,
        &HUGGINGFACE_TOKEN,
        &OPENROUTER_KEY,
        &GROQ_KEY,
        &PERPLEXITY_KEY,
        &XAI_KEY,
        &ATLASSIAN_TOKEN,
        &BITBUCKET_TOKEN,
        &GRAFANA_TOKEN,
        &SENTRY_TOKEN,
        &NEWRELIC_KEY,
        &DATADOG_KEY,
        &POSTMAN_KEY,
        &LINEAR_KEY,
        &NOTION_TOKEN,
        &FIGMA_TOKEN,
        &AIRTABLE_TOKEN,
        &ASANA_TOKEN,
        &OKTA_TOKEN,
        &ONEPASSWORD_TOKEN,
        &MAPBOX_TOKEN,
        &TAILSCALE_KEY,
        &SONARQUBE_TOKEN,
        &BUILDKITE_TOKEN,
        &DYNATRACE_TOKEN,
        &CONTENTFUL_TOKEN,
        &JWT,
        &AGE_SECRET_KEY,
        &NOSTR_SECRET_KEY,
    ],
    finder: Finder::Text(&TokenDetector),
};

/// Every format's anchors, the search for them, and for each anchor the
/// formats to try when it is found.
struct Engine {
    finder: prefilter::AnchorFinder,
    anchors: Vec<&'static str>,
    /// `formats_of[anchor]`: indices into [`FORMATS`].
    formats_of: Vec<Vec<u16>>,
}

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let mut anchors: Vec<&'static str> = Vec::new();
    let mut formats_of: Vec<Vec<u16>> = Vec::new();
    for (index, format) in FORMATS.iter().enumerate() {
        for &anchor in format.anchors {
            let pattern = match anchors.iter().position(|&a| a == anchor) {
                Some(p) => p,
                None => {
                    anchors.push(anchor);
                    formats_of.push(Vec::new());
                    anchors.len() - 1
                }
            };
            formats_of[pattern].push(index as u16);
        }
    }
    Engine {
        finder: prefilter::AnchorFinder::new(&anchors),
        anchors,
        formats_of,
    }
});

/// A credential found in a text.
#[derive(Clone, Debug)]
pub struct FoundToken {
    pub format: &'static Format,
    /// Byte range of the credential in the text.
    pub range: Range<usize>,
    /// Leading bytes of the credential that are a public marker.
    pub keep: usize,
}

impl FoundToken {
    /// The credential redacted to its public marker: `ghp_…`.
    pub fn redacted(&self, text: &str) -> String {
        redact_secret(&text[self.range.clone()], self.keep)
    }
}

/// Every credential in `text`, in order, with nested duplicates removed
/// (a format found inside another's match, such as the `eyJ…` payload of a
/// prefixed token, is left to the outer one).
/// How many anchor hits the token automaton reports in `text` (for the
/// benchmark's profile: the search alone, without verification).
pub fn anchor_hits(text: &str) -> usize {
    let mut hits = ENGINE.finder.find(text.as_bytes());
    hits.dedup_by_key(|(at, _)| *at);
    hits.len()
}

pub fn find_tokens(text: &str) -> Vec<FoundToken> {
    let bytes = text.as_bytes();
    let engine = &*ENGINE;
    let mut found: Vec<FoundToken> = Vec::new();
    // Keyword formats search a window after their keyword; a keyword that
    // repeats within a window already searched is skipped.
    let mut searched_until: Vec<(u16, usize)> = Vec::new();
    // Anchors in the order of the text, and at one position in the order
    // of the table.
    for (start, pattern) in engine.finder.find(bytes) {
        let anchor_len = engine.anchors[usize::from(pattern)].len();
        let anchor = start..start + anchor_len;
        for &index in &engine.formats_of[usize::from(pattern)] {
            let format = &FORMATS[usize::from(index)];
            if matches!(format.shape, formats::Shape::Near(_)) {
                match searched_until.iter_mut().find(|(i, _)| *i == index) {
                    Some((_, until)) if anchor.start < *until => continue,
                    Some((_, until)) => *until = anchor.end + formats::NEAR_WINDOW,
                    None => searched_until.push((index, anchor.end + formats::NEAR_WINDOW)),
                }
            }
            let Some(candidate) = format.locate(bytes, anchor.clone()) else {
                continue;
            };
            if format.confirm(&bytes[candidate.range.clone()], candidate.keep)
                && !(format.checksum().is_none()
                    && formats::inside_base64_block(bytes, &candidate.range))
            {
                found.push(FoundToken {
                    format,
                    range: candidate.range,
                    keep: candidate.keep,
                });
            }
        }
    }
    found.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
    });
    let mut kept: Vec<FoundToken> = Vec::with_capacity(found.len());
    for token in found {
        let nested = kept
            .last()
            .is_some_and(|outer| token.range.end <= outer.range.end);
        if !nested {
            kept.push(token);
        }
    }
    kept
}

/// Reports provider credentials in the text of any packaged file.
pub struct TokenDetector;

impl Detector for TokenDetector {
    fn scan(&self, text: &str, _file: FileContext<'_>, out: &mut Vec<Match>) {
        for token in find_tokens(text) {
            let format = token.format;
            let redacted = token.redacted(text);
            let mut m = Match::new(
                format.rule,
                token.range.clone(),
                format!("{} in a packaged file", format.what),
                redacted,
            )
            .label("credential published with the crate")
            .note("anyone who downloads the crate can use this credential; yanking does not delete it");
            if let Some(checksum) = format.checksum() {
                m = m.note(format!(
                    "its checksum ({checksum}) is valid: this is a real {}, not a lookalike",
                    format.what
                ));
            }
            out.push(m.help(
                "revoke it now, then remove it and read it from the environment at run time",
            ));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
