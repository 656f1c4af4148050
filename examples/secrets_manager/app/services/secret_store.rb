# frozen_string_literal: true

# Where secret values live: in SQLite, encrypted with the app keyring
# (default), or in OpenBao when BAO_ADDR is set. In OpenBao mode OpenBao
# enforces access as in GitLab: after a one-time bootstrap with the root
# token (BAO_TOKEN) the app authenticates as its own JWT role, people's
# secret writes go to OpenBao authenticated as that person (user_jwt CEL
# login, so OpenBao applies their permission policies), and only runners
# read values, logging in with the job's ID token (bin/runner).
module SecretStore
  # OpenBao refused a request (a failed inline login, or 403): the message
  # is OpenBao's. GraphQL answers it as GitLab does a permission error.
  class Denied < StandardError; end

  # Rails asked for a secret value in OpenBao mode, where only runners read them.
  class ValuesNotReadable < StandardError; end

  def self.current
    @current ||= ENV["BAO_ADDR"] ? OpenBaoStore.new(PipelineGuard::OpenBao::Client.from_env) : LocalStore.new
  end

  def self.reset! = (@current = nil)

  def self.openbao? = current.is_a?(OpenBaoStore)

  class LocalStore
    def name = "sqlite+keyring"
    def provision(_project); end
    def provision_secrets_manager(_manager); end
    def deprovision_secrets_manager(_manager); end
    def write(secret, value, user: nil) = (secret.value = value) # rubocop:disable Lint/UnusedMethodArgument
    def delete(_secret, user: nil); end
    def read_metadata(_secret, user: nil); end
    def sync_policies(_project); end
    def healthy? = true

    def read(project, names)
      project.secrets.where(name: names).to_h { |s| [s.name, s.value] }
    end
  end

  class OpenBaoStore
    POLICY_PREFIXES = %w[users/ api/ pipelines/].freeze

    # `root` holds BAO_TOKEN: used only by the bootstrap, and only when the
    # app's own role cannot log in yet.
    def initialize(root)
      @root = root
      @address = root.address
      @addresses = root.addresses
      @provisioner = OpenBaoProvisioner.new(@addresses)
      @bootstrapped = false
    end

    def name = "openbao #{@address}"

    # GitLab's openbaoHealth: is the server reachable and unsealed (an
    # unauthenticated endpoint: no token is sent).
    def healthy?
      PipelineGuard::OpenBao::Client.new(addresses: @addresses).get("sys/health")
      true
    rescue PipelineGuard::OpenBao::ClientError, SystemCallError, IOError
      false
    end

    def bootstrap!
      return if @bootstrapped

      @provisioner.bootstrap!(@root)
      @bootstrapped = true
    end

    # Secrets are created only in an active (provisioned) secrets manager.
    def provision(_owner); end

    # Namespace, KV mount, JWT mounts and CEL roles, then the policies
    # (GitLab's ProvisionService).
    def provision_secrets_manager(manager)
      bootstrap!
      @provisioner.provision(manager.owner)
      sync_policies(manager.owner)
    end

    # Removes the namespace and everything in it (GitLab's DeprovisionService).
    def deprovision_secrets_manager(manager)
      bootstrap!
      @provisioner.deprovision(openbao_namespace(manager))
    end

    # As `user` (their user_jwt login) when given, else as the app role.
    def write(secret, value, user: nil)
      return if value.nil?

      client = client_for(secret.owner, user)
      client.post("secrets/kv/data/explicit/#{secret.name}", { data: { value: } })
      client.post("secrets/kv/metadata/explicit/#{secret.name}", { custom_metadata: secret.openbao_custom_metadata })
    end

    def delete(secret, user: nil)
      client_for(secret.owner, user).delete("secrets/kv/metadata/explicit/#{secret.name}")
    end

    # GitLab's ReadMetadataService reads the metadata as the user: OpenBao
    # refuses when their policies do not allow it.
    def read_metadata(secret, user: nil)
      client_for(secret.owner, user).get("secrets/kv/metadata/explicit/#{secret.name}")
    end

    def read(_owner, _names)
      raise ValuesNotReadable, "in OpenBao mode secret values are read by the runner from OpenBao, never by Rails"
    end

    # Writes the permission policies (projects and groups), the default role
    # policies and the pipeline policies, and deletes the ones no longer
    # wanted (a deleted or expired permission, a pipeline scope no secret uses).
    def sync_policies(owner)
      bootstrap!
      SecretsPermissions::DefaultRolePolicies.ensure!(owner)
      client = @provisioner.app.in_namespace(OpenBaoPaths.for(owner))
      wanted = SecretsPermissions::Store.new(owner).openbao_policies.merge(ci_policies(owner))
      wanted.each { |name, hcl| client.put("sys/policies/acl/#{name}", { policy: hcl }) }
      existing = client.list("sys/policies/acl").dig("data", "keys").to_a
      stale = existing.select { |n| n.start_with?(*POLICY_PREFIXES) } - wanted.keys
      stale.each { |name| client.delete("sys/policies/acl/#{name}") }
    end

    private

    def ci_policies(owner)
      return GroupAccess.for(owner).model.ci_policies if owner.is_a?(Group)

      ProjectAccess.reset!(owner.id)
      ProjectAccess.for(owner).ci_policies
    end

    # Recorded at creation: it outlives the owner (a deleted project).
    def openbao_namespace(manager) = manager.namespace_path

    def client_for(owner, user)
      bootstrap!
      return @provisioner.app.in_namespace(OpenBaoPaths.for(owner)) unless user

      OpenBaoInlineClient.user(@addresses, owner, user)
    end
  end
end
