# frozen_string_literal: true

require "base64"

# An OpenBao client that logs in on every request with OpenBao's inline auth
# (X-Vault-Inline-Auth-Path and -Parameter-* headers), as GitLab 19.4's
# SecretsManagerClient does: no token is kept, the namespace is part of the
# URL path. A refused login (X-Vault-Inline-Auth-Failed) or a 403 raises
# SecretStore::Denied with OpenBao's text; other errors are ClientErrors.
class OpenBaoInlineClient < PipelineGuard::OpenBao::Client
  AUTH_FAILED = "X-Vault-Inline-Auth-Failed"

  # Rails itself: the `app` role of the root namespace's gitlab_rails_jwt mount.
  def self.app(addresses)
    new(addresses:, jwt: OpenBaoJwts.app, auth_path: "auth/gitlab_rails_jwt/login", role: "app")
  end

  # A person, on the `user_jwt` mount of the owner's secrets manager.
  def self.user(addresses, owner, user)
    ns = OpenBaoPaths.for(owner)
    new(addresses:, jwt: OpenBaoJwts.user(owner, user), auth_path: "#{ns}/auth/user_jwt/cel/login", role: "all_users",
        prefix: ns)
  end

  # `addresses`: every node of the cluster (BAO_ADDR, BAO_ADDRS), so a
  # request fails over as the gem's client does.
  def initialize(addresses:, jwt:, auth_path:, role:, prefix: nil)
    super(addresses:)
    @inline = { "X-Vault-Inline-Auth-Path" => auth_path,
                "X-Vault-Inline-Auth-Parameter-token" => parameter("jwt", jwt),
                "X-Vault-Inline-Auth-Parameter-role" => parameter("role", role) }
    @prefix = prefix
  end

  def inspect = "#<#{self.class} address=#{address.inspect} auth_path=#{@inline['X-Vault-Inline-Auth-Path'].inspect}>"

  # The same client on paths below `namespace` (a full namespace path).
  def in_namespace(path) = NamespacedView.new(self, path)

  private

  def parameter(key, value) = Base64.urlsafe_encode64(JSON.generate(key:, value:), padding: false)

  def build(klass, path, body)
    full = @prefix ? "#{@prefix}/#{path.delete_prefix('/')}" : path
    super(klass, full, body).tap { |req| @inline.each { |k, v| req[k] = v } }
  end

  def parse(response, klass, path)
    denied = response[AUTH_FAILED] == "true" || response.code.to_i == 403
    return super unless denied

    raise SecretStore::Denied, status_error(response, klass, path).message
  end

  # Paths prefixed with a namespace, sharing the client's connection.
  class NamespacedView
    def initialize(client, namespace)
      @client = client
      @namespace = namespace
    end

    %i[get delete list].each { |m| define_method(m) { |path| @client.public_send(m, "#{@namespace}/#{path}") } }
    %i[post put].each do |m|
      define_method(m) do |path, body = {}|
        @client.public_send(m, "#{@namespace}/#{path}", body)
      end
    end
  end
end
