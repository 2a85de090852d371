//! `SnsSms` and `SesMail`: text messages through SNS `Publish` to a phone number, e-mail
//! through SES `SendEmail`. Neither logs the message or the recipient.

use crate::notify::{Mail, NotifyError, Sms};
use async_trait::async_trait;
use gongshi_core::{Email, Mobile};

/// SMS through SNS.
#[derive(Debug, Clone)]
pub struct SnsSms {
    client: aws_sdk_sns::Client,
    sender_id: Option<String>,
}

impl SnsSms {
    /// Sends as `sender_id` where the destination supports sender IDs.
    pub fn new(client: aws_sdk_sns::Client, sender_id: Option<String>) -> Self {
        Self { client, sender_id }
    }
}

fn attribute(value: &str) -> Result<aws_sdk_sns::types::MessageAttributeValue, NotifyError> {
    aws_sdk_sns::types::MessageAttributeValue::builder()
        .data_type("String")
        .string_value(value)
        .build()
        .map_err(|e| NotifyError(e.to_string()))
}

#[async_trait]
impl Sms for SnsSms {
    async fn send(&self, to: &Mobile, text: &str) -> Result<(), NotifyError> {
        let mut publish = self
            .client
            .publish()
            .phone_number(to.e164())
            .message(text)
            .message_attributes("AWS.SNS.SMS.SMSType", attribute("Transactional")?);
        if let Some(sender) = &self.sender_id {
            publish = publish.message_attributes("AWS.SNS.SMS.SenderID", attribute(sender)?);
        }
        publish
            .send()
            .await
            .map_err(|e| NotifyError(aws_sdk_sns::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }
}

/// E-mail through SES.
#[derive(Debug, Clone)]
pub struct SesMail {
    client: aws_sdk_ses::Client,
    sender: String,
}

impl SesMail {
    /// Sends from `sender`, a verified SES identity.
    pub fn new(client: aws_sdk_ses::Client, sender: &str) -> Self {
        Self {
            client,
            sender: sender.to_owned(),
        }
    }
}

#[async_trait]
impl Mail for SesMail {
    async fn send(&self, to: &Email, subject: &str, body: &str) -> Result<(), NotifyError> {
        use aws_sdk_ses::types::{Body, Content, Destination, Message};
        let content = |text: &str| {
            Content::builder()
                .data(text)
                .charset("UTF-8")
                .build()
                .map_err(|e| NotifyError(e.to_string()))
        };
        let message = Message::builder()
            .subject(content(subject)?)
            .body(Body::builder().text(content(body)?).build())
            .build();
        self.client
            .send_email()
            .source(&self.sender)
            .destination(Destination::builder().to_addresses(to.as_str()).build())
            .message(message)
            .send()
            .await
            .map_err(|e| NotifyError(aws_sdk_ses::error::DisplayErrorContext(e).to_string()))?;
        Ok(())
    }
}
