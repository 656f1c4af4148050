# frozen_string_literal: true

module SecretsPermissions
  # What a permissions service returns (GitLab's ServiceResponse).
  Result = Struct.new(:success, :payload, :message, keyword_init: true) do
    def success? = success
    def error? = !success
  end
end
