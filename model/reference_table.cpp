#include "model/msm_machine.hpp"

namespace fincheck::model {

const TableVariant& reference_table() {
  static const TableVariant variant = variant_of<TeardownTable>("rfc9293");
  return variant;
}

}  // namespace fincheck::model
