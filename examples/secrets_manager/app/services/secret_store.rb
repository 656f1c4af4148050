# frozen_string_literal: true

# Where secret values live: in SQLite, encrypted with the app keyring
# (default), or in OpenBao when BAO_ADDR is set (KV v2 in a namespace per
# project, the generated ACL policies written next to them).
module SecretStore
  def self.current
    @current ||= ENV["BAO_ADDR"] ? OpenBaoStore.new(PipelineGuard::OpenBao::Client.from_env) : LocalStore.new
  end

  def self.reset! = (@current = nil)

  class LocalStore
    def name = "sqlite+keyring"
    def provision(_project); end
    def provision_secrets_manager(_manager); end
    def deprovision_secrets_manager(_manager); end
    def write(secret, value) = (secret.value = value)
    def delete(_secret); end
    def sync_policies(_project); end
    def healthy? = true

    def read(project, names)
      project.secrets.where(name: names).to_h { |s| [s.name, s.value] }
    end
  end

  class OpenBaoStore
    def initialize(client)
      @root = client
    end

    def name = "openbao #{@root.address}"

    def provision(owner) = provision_namespace(namespace(owner))

    # GitLab's openbaoHealth: is the server reachable and unsealed.
    def healthy?
      @root.get("sys/health")
      true
    rescue PipelineGuard::OpenBao::ClientError, SystemCallError, IOError
      false
    end

    # Namespace and KV mount at enable time (GitLab's ProvisionService).
    def provision_secrets_manager(manager) = provision_namespace(manager.namespace_path)

    # Removes the namespace and everything in it (GitLab's DeprovisionService).
    def deprovision_secrets_manager(manager)
      @root.delete("sys/namespaces/#{manager.namespace_path}")
    rescue PipelineGuard::OpenBao::ClientError => e
      raise unless e.message.include?("not found")
    end

    def provision_namespace(ns)
      begin
        @root.post("sys/namespaces/#{ns}")
      rescue PipelineGuard::OpenBao::ClientError => e
        raise unless e.message.include?("already exists")
      end
      client = namespaced(ns)
      mounts = client.get("sys/mounts")
      return if mounts.key?("secrets/kv/") || mounts.dig("data", "secrets/kv/")

      client.post("sys/mounts/secrets/kv", { type: "kv", options: { version: "2" } })
    end

    def write(secret, value)
      return if value.nil?

      client = client_for(secret.owner)
      client.post("secrets/kv/data/explicit/#{secret.name}", { data: { value: } })
      client.post("secrets/kv/metadata/explicit/#{secret.name}", { custom_metadata: secret.openbao_custom_metadata })
    end

    def delete(secret)
      client_for(secret.owner).delete("secrets/kv/metadata/explicit/#{secret.name}")
    end

    def read(project, names)
      client = client_for(project)
      names.to_h { |n| [n, client.get("secrets/kv/data/explicit/#{n}").dig("data", "data", "value")] }
    end

    # Writes the permission policies and the incremental pipeline policies.
    def sync_policies(project)
      client = client_for(project)
      project.secrets_permissions.each do |p|
        next if p.expired?

        ProjectAccess.permission(p).openbao_policies.each do |name, hcl|
          client.put("sys/policies/acl/#{name}", { policy: hcl })
        end
      end
      current = ProjectAccess.for(project).ci_policies
      current.each { |name, hcl| client.put("sys/policies/acl/#{name}", { policy: hcl }) }
      stale = client.list("sys/policies/acl").dig("data", "keys").to_a.select { |n| n.start_with?("pipelines/") }
      (stale - current.keys).each { |name| client.delete("sys/policies/acl/#{name}") }
    end

    private

    # Where the owner's secrets manager lives ("project_<id>", "group_<id>").
    def namespace(owner)
      owner.secrets_manager&.namespace_path || "#{owner.secrets_scope_name}_#{owner.id}"
    end

    def client_for(owner) = namespaced(namespace(owner))

    def namespaced(ns)
      PipelineGuard::OpenBao::Client.new(address: @root.address, token: ENV.fetch("BAO_TOKEN", nil), namespace: ns)
    end
  end
end
