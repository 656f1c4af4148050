# frozen_string_literal: true

module PipelineGuard
  module Rails
    # One encrypted attribute's settings (see EncryptedAttribute).
    AttributeSpec = Struct.new(:name, :column, :keyring, :associated_data, :context, keyword_init: true) do
      def keyring_for(_record)
        kr = keyring.respond_to?(:call) ? keyring.call : keyring
        kr || PipelineGuard::Rails.keyring
      end

      def context_for(record)
        case context
        when nil then nil
        when Symbol then record.public_send(context).to_s
        when Proc then context.call(record)
        else context.to_s
        end
      end

      # `reader` reads an attribute (current or as stored in the database).
      def aad_for(record, reader = :public_send)
        case associated_data
        when false, nil then nil
        when Proc then associated_data.call(record)
        else
          parts = associated_data.map { |a| "#{a}=#{record.__send__(reader, a.to_s)}" }
          ([record.class.table_name, name.to_s] + parts).join("\u0000")
        end
      end

      def attribute_aad?
        associated_data.is_a?(Array) && !associated_data.empty?
      end
    end
  end
end
