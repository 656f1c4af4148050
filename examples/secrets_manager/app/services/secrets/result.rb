# frozen_string_literal: true

module Secrets
  # What a secrets service returns (GitLab's ServiceResponse): the secret,
  # or an error message with an optional reason (`:not_found`).
  Result = Struct.new(:secret, :message, :reason, keyword_init: true) do
    def self.success(secret) = new(secret:)
    def self.error(message, reason: nil, secret: nil) = new(message:, reason:, secret:)

    def success? = message.nil?

    # GitLab's ErrorMessagesHelpers#error_messages(result, [:secret]): the
    # secret's own errors, then the result message (so a single validation
    # error appears twice, as GitLab returns it).
    def error_messages
      (secret ? secret.errors.full_messages : []) + [message].compact.reject(&:empty?)
    end
  end
end
