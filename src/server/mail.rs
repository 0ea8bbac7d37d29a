//! Outgoing mail through lettre: SMTP when `EKO_SMTP_URL` is set, otherwise
//! one `.eml` file per message in the outbox folder, so a fresh checkout can
//! run every mail flow without a mail server.

use std::path::PathBuf;

use anyhow::{bail, Context};
use lettre::{
    message::{
        header::{ContentTransferEncoding, ContentType},
        Body, Mailbox,
    },
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};

use super::config::MailSettings;

/// A plain-text message to one person.
#[derive(Debug)]
pub struct Mail {
    pub to_name: String,
    pub to_email: String,
    pub subject: String,
    pub body: String,
}

#[derive(Clone)]
enum Transport {
    Outbox { folder: PathBuf, files: AsyncFileTransport<Tokio1Executor> },
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends mail; cheap to clone.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Mailer({})", self.describe())
    }
}

impl Mailer {
    /// Builds the transport the settings ask for; the outbox folder is
    /// created if missing.
    pub fn from_settings(settings: &MailSettings) -> anyhow::Result<Self> {
        let from: Mailbox = settings.from.parse().context("EKO_MAIL_FROM is not a mail address")?;
        let transport = match &settings.smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(&url.0)
                    .context("EKO_SMTP_URL is not a valid SMTP URL")?
                    .build(),
            ),
            None => {
                let folder = settings.outbox.clone();
                std::fs::create_dir_all(&folder)
                    .with_context(|| format!("cannot create the mail outbox {}", folder.display()))?;
                let files = AsyncFileTransport::new(&folder);
                Transport::Outbox { folder, files }
            }
        };
        Ok(Self { from, transport })
    }

    /// Where mail goes, for the start-up log (never with credentials).
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Outbox { folder, .. } => format!("outbox folder {}", folder.display()),
            Transport::Smtp(_) => "SMTP".to_owned(),
        }
    }

    /// Sends one message.
    pub async fn send(&self, mail: Mail) -> anyhow::Result<()> {
        let to = Mailbox::new(Some(mail.to_name), mail.to_email.parse().context("bad recipient address")?);
        let message = Message::builder()
            .message_id(None)
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(plain_body(mail.body))
            .context("cannot build the message")?;
        match &self.transport {
            Transport::Outbox { files, .. } => {
                files.send(message).await.context("cannot write to the mail outbox")?;
            }
            Transport::Smtp(smtp) => {
                let response = smtp.send(message).await.context("SMTP delivery failed")?;
                if !response.is_positive() {
                    bail!("SMTP server refused the message: {:?}", response.code());
                }
            }
        }
        Ok(())
    }
}

/// A text body that keeps its lines as written, so a long link stays one
/// line a reader (or a test) can copy: 7bit when it is ASCII, else 8bit.
/// lettre would pick quoted-printable for any line of 76+ characters, which
/// folds a link; RFC 5322 allows lines up to 998. Anything unusual (a NUL,
/// an overlong line) gets lettre's own choice.
fn plain_body(text: String) -> Body {
    let crlf = text.replace("\r\n", "\n").replace('\n', "\r\n");
    let fits = !crlf.contains('\0') && crlf.split("\r\n").all(|line| line.len() <= 998);
    if !fits {
        return Body::new(text);
    }
    let encoding =
        if crlf.is_ascii() { ContentTransferEncoding::SevenBit } else { ContentTransferEncoding::EightBit };
    Body::dangerous_pre_encoded(crlf.into_bytes(), encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_and_non_ascii_names_keep_the_link_on_one_line() {
        let link = format!("https://eko.example.ph/password-reset/confirm?token={}", "A".repeat(43));
        let body = plain_body(format!("Hello Peñaflor,\n\n{link}\n"));
        assert_eq!(body.encoding(), ContentTransferEncoding::EightBit);
        let text = String::from_utf8(body.into_vec()).unwrap();
        assert!(text.contains(&format!("\r\n{link}\r\n")), "{text}");
        assert_eq!(plain_body("plain".into()).encoding(), ContentTransferEncoding::SevenBit);
    }
}
